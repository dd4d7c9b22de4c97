/**
 * What a review thread is attached to, and whether that thing still exists
 * (unchanged, changed or gone) at a later version. Pure.
 */
import { z } from 'zod';
import type { ModelDocument, Step } from '@/lib/model/schema';
import { forEachStep, stepAt, unreachable, type BlockKey, type StepPath } from '@/lib/model/walk';

export type StepAnchorPath = StepPath;

const name = z.string().min(1).max(200);
const blockKey = z.enum(['then', 'else', 'steps', 'onFail']);

/** A step path alternates index and block key, starting and ending with an index: `[2, 'then', 0]`. */
const stepPath = z
  .array(z.union([z.number().int().min(0).max(100_000), blockKey]))
  .min(1)
  .max(64)
  .refine((path) => path.every((part, i) => (i % 2 === 0 ? typeof part === 'number' : typeof part === 'string')) && path.length % 2 === 1, {
    message: "a step path alternates step index and block key ('then', 'else', 'steps', 'onFail'), e.g. [2, \"then\", 0]",
  });

export const anchorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model') }).strict(),
  z.object({ kind: z.literal('state'), resource: name, state: name }).strict(),
  z.object({ kind: z.literal('transition'), resource: name, from: name, to: name }).strict(),
  z.object({ kind: z.literal('step'), operation: name, path: stepPath, label: z.string().min(1).max(200).optional() }).strict(),
  z.object({ kind: z.literal('lock'), lock: name }).strict(),
  z.object({ kind: z.literal('invariant'), invariant: name }).strict(),
  z.object({ kind: z.literal('scenario'), scenario: name }).strict(),
  z.object({ kind: z.literal('trace-step'), runId: z.string().min(1).max(100), scenario: name, step: z.number().int().min(0).max(100_000) }).strict(),
]);

export type Anchor = z.output<typeof anchorSchema>;
export type AnchorKind = Anchor['kind'];
export type AnchorStatus = 'current' | 'changed' | 'outdated';

/** For trace-step anchors: the version the run checked and the version the review is at now. */
export interface TraceContext {
  runVersion: number;
  reviewVersion: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface FoundStep {
  step: Step;
  path: StepPath;
}

/** All steps of an operation with their paths. */
function stepsOf(doc: ModelDocument, operation: string): FoundStep[] | null {
  const op = doc.operations.find((o) => o.name === operation);
  if (!op) return null;
  const out: FoundStep[] = [];
  forEachStep(op.steps, (step, path) => out.push({ step, path }));
  return out;
}

/**
 * Where the anchored step is in `doc`. A labelled step is followed by its label
 * wherever it moved; otherwise by path, and if the step at the path is not the
 * anchored one but an identical copy sits elsewhere in the operation (a step
 * was inserted or removed before it), there.
 */
function findStep(doc: ModelDocument, anchor: Extract<Anchor, { kind: 'step' }>, original: Step | undefined, anchoredSteps: readonly Step[]): FoundStep | null {
  const all = stepsOf(doc, anchor.operation);
  if (!all) return null;
  const label = anchor.label ?? original?.label;
  if (label) {
    const byLabel = all.find((s) => s.step.label === label);
    if (byLabel) return byLabel;
  }
  const op = doc.operations.find((o) => o.name === anchor.operation)!;
  const atPath = stepAt(op.steps, anchor.path as (number | BlockKey)[]);
  if (original) {
    if (atPath && same(atPath, original)) return { step: atPath, path: anchor.path };
    const copies = all.filter((s) => same(s.step, original));
    if (copies.length === 1) return copies[0];
    // A step of another kind at the same place is another step: the anchored one is gone.
    if (atPath && atPath.kind !== original.kind) return null;
    // The step that followed the anchored one now sits at its path: the anchored one was removed.
    const next = [...anchor.path.slice(0, -1), (anchor.path[anchor.path.length - 1] as number) + 1] as (number | BlockKey)[];
    const follower = stepAt(anchoredSteps, next);
    if (atPath && follower && same(atPath, follower)) return null;
  }
  return atPath ? { step: atPath, path: anchor.path } : null;
}

/** The anchored item in `doc` (as JSON-comparable data), or undefined when it does not exist there. */
function itemOf(doc: ModelDocument, anchor: Exclude<Anchor, { kind: 'trace-step' | 'step' }>): unknown {
  switch (anchor.kind) {
    case 'model':
      return { name: doc.name, description: doc.description ?? '' };
    case 'state':
      return doc.resources.find((r) => r.name === anchor.resource)?.states.find((s) => s.name === anchor.state);
    case 'transition':
      return doc.resources.find((r) => r.name === anchor.resource)?.transitions.find((t) => t.from === anchor.from && t.to === anchor.to);
    case 'lock':
      return doc.locks.find((l) => l.name === anchor.lock);
    case 'invariant':
      return doc.invariants.find((i) => i.name === anchor.invariant);
    case 'scenario':
      return doc.scenarios.find((s) => s.name === anchor.scenario);
    default:
      return unreachable(anchor, 'anchor kind');
  }
}

export interface ResolvedAnchor {
  status: AnchorStatus;
  /** For a step anchor that still exists: its path in the current document. */
  path?: StepPath;
}

/**
 * The anchor written on `anchoredDoc`, looked up in `currentDoc`: current
 * (exists, unchanged), changed (exists, differs) or outdated (gone). A
 * trace-step anchor is current only while the review is at the run's version.
 */
export function resolveAnchor(anchor: Anchor, anchoredDoc: ModelDocument, currentDoc: ModelDocument, trace?: TraceContext): ResolvedAnchor {
  switch (anchor.kind) {
    case 'trace-step':
      return { status: trace && trace.runVersion === trace.reviewVersion ? 'current' : 'outdated' };
    case 'step': {
      const op = anchoredDoc.operations.find((o) => o.name === anchor.operation);
      const original = op ? stepAt(op.steps, anchor.path as (number | BlockKey)[]) : undefined;
      const found = findStep(currentDoc, anchor, original, op?.steps ?? []);
      if (!found) return { status: 'outdated' };
      return { status: original && same(found.step, original) ? 'current' : 'changed', path: found.path };
    }
    case 'model':
    case 'state':
    case 'transition':
    case 'lock':
    case 'invariant':
    case 'scenario': {
      const now = itemOf(currentDoc, anchor);
      if (now === undefined) return { status: 'outdated' };
      return { status: same(now, itemOf(anchoredDoc, anchor)) ? 'current' : 'changed' };
    }
    default:
      return unreachable(anchor, 'anchor kind');
  }
}

export function anchorStatus(anchor: Anchor, anchoredDoc: ModelDocument, currentDoc: ModelDocument, trace?: TraceContext): AnchorStatus {
  return resolveAnchor(anchor, anchoredDoc, currentDoc, trace).status;
}

/**
 * Why this anchor does not exist in `doc` (the version a thread is written on),
 * or null when it does. Trace-step anchors are checked against the run by the caller.
 */
export function missingAnchor(anchor: Anchor, doc: ModelDocument): string | null {
  switch (anchor.kind) {
    case 'trace-step':
      return null;
    case 'step': {
      const op = doc.operations.find((o) => o.name === anchor.operation);
      if (!op) return `no operation '${anchor.operation}'`;
      return stepAt(op.steps, anchor.path as (number | BlockKey)[]) ? null : `operation '${anchor.operation}' has no step at ${JSON.stringify(anchor.path)}`;
    }
    case 'model':
      return null;
    case 'state':
    case 'transition': {
      const resource = doc.resources.find((r) => r.name === anchor.resource);
      if (!resource) return `no resource '${anchor.resource}'`;
      if (anchor.kind === 'state') return itemOf(doc, anchor) ? null : `resource '${anchor.resource}' has no state '${anchor.state}'`;
      return itemOf(doc, anchor) ? null : `resource '${anchor.resource}' has no transition ${anchor.from} → ${anchor.to}`;
    }
    case 'lock':
      return itemOf(doc, anchor) ? null : `no lock '${anchor.lock}'`;
    case 'invariant':
      return itemOf(doc, anchor) ? null : `no invariant '${anchor.invariant}'`;
    case 'scenario':
      return itemOf(doc, anchor) ? null : `no scenario '${anchor.scenario}'`;
    default:
      return unreachable(anchor, 'anchor kind');
  }
}

/** The step at a path, for labels (1-based numbering a person reads: "step 3", "step 2.then.1"). */
function pathText(path: readonly (number | string)[]): string {
  return path.map((part) => (typeof part === 'number' ? String(part + 1) : part)).join('.');
}

/** What a person reads for the anchor: "state Share.deleting", "deleteShare step 3 (cas)", "trace step 5 of naive-two-deletes". */
export function anchorLabel(anchor: Anchor, doc?: ModelDocument): string {
  switch (anchor.kind) {
    case 'model':
      return 'the model';
    case 'state':
      return `state ${anchor.resource}.${anchor.state}`;
    case 'transition':
      return `transition ${anchor.resource}: ${anchor.from} → ${anchor.to}`;
    case 'step': {
      const op = doc?.operations.find((o) => o.name === anchor.operation);
      const step = op ? stepAt(op.steps, anchor.path as (number | BlockKey)[]) : undefined;
      const what = step ? ` (${step.label ? `${step.label}: ` : ''}${step.kind})` : anchor.label ? ` (${anchor.label})` : '';
      return `${anchor.operation} step ${pathText(anchor.path)}${what}`;
    }
    case 'lock':
      return `lock ${anchor.lock}`;
    case 'invariant':
      return `invariant ${anchor.invariant}`;
    case 'scenario':
      return `scenario ${anchor.scenario}`;
    case 'trace-step':
      return `trace step ${anchor.step} of ${anchor.scenario}`;
    default:
      return unreachable(anchor, 'anchor kind');
  }
}
