/**
 * What the steps before a point say about each parameter's lifecycle state,
 * and the defaults built on it: a new `write` continues the machine from
 * where the earlier steps left a resource (`write share.state = "deleting"`
 * → next `write share.state = "deleted"`), a retargeted write takes a value
 * its new target can hold, and a step changed into another kind keeps what
 * carries over (`require share.state == "available"` → `cas share.state:
 * [available] -> snapshotting`).
 */
import type { ModelDocument, Operation, Resource, Step } from '@/lib/model';
import { uncheckedBlocks, unreachable, type StepKind } from '@/lib/model/walk';
import type { ListSlot } from './actions';
import { stepsBefore } from './steps-before';

/** A parameter and the lifecycle state the earlier steps leave it in. */
export interface KnownState {
  param: string;
  state: string;
}

const STATE_EQUALS = /^\s*([A-Za-z_]\w*)\.state\s*==\s*"([^"]+)"\s*$/;
const STATE_TARGET = /^\s*([A-Za-z_]\w*)\.state\s*$/;
const STRING_LITERAL = /^\s*"([^"]*)"\s*$/;

/** `p.state == "x"` (alone or as one conjunct of `&&`): what a condition pins down. */
function pinnedBy(cond: string): KnownState[] {
  return cond.split('&&').flatMap((part) => {
    const m = STATE_EQUALS.exec(part.replace(/^\s*\(|\)\s*$/g, ''));
    return m ? [{ param: m[1], state: m[2] }] : [];
  });
}

/** The states a step leaves parameters in, in the order it sets them (atomic and with blocks always run, so they count). */
function effectsOf(step: Step): KnownState[] {
  switch (step.kind) {
    case 'require':
    case 'await':
    case 'assert':
      return pinnedBy(step.cond);
    case 'write': {
      const t = STATE_TARGET.exec(step.target);
      const v = STRING_LITERAL.exec(step.value);
      return t && v ? [{ param: t[1], state: v[1] }] : [];
    }
    case 'cas': {
      const t = STATE_TARGET.exec(step.target);
      return t && typeof step.to === 'string' ? [{ param: t[1], state: step.to }] : [];
    }
    case 'update': {
      const set = step.set.find((s) => s.field === 'state');
      const v = set && STRING_LITERAL.exec(set.value);
      return v && /^[A-Za-z_]\w*$/.test(step.target) ? [{ param: step.target, state: v[1] }] : [];
    }
    case 'atomic':
    case 'with':
      return step.steps.flatMap(effectsOf);
    // Steps that leave no state known: reads, branches and loops (which may not run), calls, locks, ends.
    case 'read':
    case 'if':
    case 'repeat':
    case 'call':
    case 'acquire':
    case 'release':
    case 'abort':
    case 'return':
      return [];
    default:
      return unreachable(step, 'step');
  }
}

/**
 * Each parameter's state as the steps before `at` leave it, the most recently
 * set first: earlier siblings, then the siblings before each enclosing step.
 */
export function knownStatesBefore(doc: ModelDocument, at: ListSlot): KnownState[] {
  const seen = new Set<string>();
  const out: KnownState[] = [];
  for (const step of stepsBefore(doc, at)) {
    for (const k of effectsOf(step).reverse()) {
      if (seen.has(k.param)) continue;
      seen.add(k.param);
      out.push(k);
    }
  }
  return out;
}

function resourceOf(doc: ModelDocument, op: Operation, param: string): Resource | undefined {
  const type = op.params.find((p) => p.name === param)?.type;
  return doc.resources.find((r) => r.name === type);
}

/** Where the machine goes next from `state` (its first transition out), if anywhere. */
function nextState(res: Resource, state: string): string | undefined {
  return res.transitions.find((t) => t.from === state)?.to;
}

/**
 * The next move of the machine: the parameter most recently left in a state
 * that has a way out, and its first transition. Null when the earlier steps
 * pin no such state down.
 */
export function suggestMove(doc: ModelDocument, op: Operation, at: ListSlot): { param: string; from: string; to: string } | null {
  for (const k of knownStatesBefore(doc, at)) {
    const res = resourceOf(doc, op, k.param);
    const to = res && nextState(res, k.state);
    if (to) return { param: k.param, from: k.state, to };
  }
  return null;
}

/**
 * A write given a new target: when the target is a parameter's state and the
 * old value is not one of that resource's states, the value follows (the
 * state the machine goes to next from where the earlier steps left it, or from
 * its initial state). Anything else is kept as typed.
 */
export function retargetWrite(doc: ModelDocument, op: Operation, at: ListSlot, step: Extract<Step, { kind: 'write' }>, target: string): Extract<Step, { kind: 'write' }> {
  const next = { ...step, target };
  const t = STATE_TARGET.exec(target);
  const res = t && resourceOf(doc, op, t[1]);
  if (!t || !res) return next;
  const literal = STRING_LITERAL.exec(step.value);
  if (literal && res.states.some((s) => s.name === literal[1])) return next;
  const known = knownStatesBefore(doc, at).find((k) => k.param === t[1])?.state ?? res.initial;
  const value = nextState(res, known) ?? res.states.find((s) => s.name !== known)?.name;
  return value ? { ...next, value: `"${value}"` } : next;
}

const CONDITION_KINDS = new Set<StepKind>(['require', 'assert', 'await', 'if']);

/** A literal as it is written in an expression (`"available"`, `3`, `true`). */
const literalText = (v: string | number | boolean) => (typeof v === 'string' ? `"${v}"` : String(v));

/**
 * `step` turned into a step of `kind` (`fresh` is a new step of that kind with
 * the context's defaults): the label, a condition, a target and value, a
 * message and a body carry over where the new kind has them; a state check
 * becomes a cas from that state along its first transition, a write of a
 * state a cas into it from the states that lead there.
 */
export function convertStep(doc: ModelDocument, op: Operation, step: Step, fresh: Step): Step {
  if (step.kind === fresh.kind) return step;
  const out = { ...fresh } as Record<string, unknown>;
  const from = step as Record<string, unknown>;
  if (step.label !== undefined) out.label = step.label;
  const cond = CONDITION_KINDS.has(step.kind) ? (from.cond as string) : step.kind === 'cas' && step.from.length === 1 ? `${step.target} == ${literalText(step.from[0])}` : undefined;
  if (cond !== undefined && CONDITION_KINDS.has(fresh.kind)) out.cond = cond;
  if (typeof from.message === 'string' && (fresh.kind === 'require' || fresh.kind === 'assert' || fresh.kind === 'abort' || fresh.kind === 'cas')) {
    if (fresh.kind !== 'cas' || fresh.else === 'abort') out.message = from.message;
  }
  const body = (from.steps ?? from.then) as Step[] | undefined;
  if (body && body.length > 0) {
    if ('steps' in fresh) out.steps = body;
    else if ('then' in fresh) out.then = body;
  }
  if (fresh.kind === 'cas') {
    const pinned = cond !== undefined ? pinnedBy(cond)[0] : undefined;
    if (pinned) {
      const res = resourceOf(doc, op, pinned.param);
      out.target = `${pinned.param}.state`;
      out.from = [pinned.state];
      out.to = (res && nextState(res, pinned.state)) ?? fresh.to;
    } else if (step.kind === 'write') {
      out.target = step.target;
      const t = STATE_TARGET.exec(step.target);
      const v = STRING_LITERAL.exec(step.value);
      const res = t && resourceOf(doc, op, t[1]);
      if (v && res) {
        out.to = v[1];
        const into = res.transitions.filter((tr) => tr.to === v[1]).map((tr) => tr.from);
        out.from = into.length > 0 ? [...new Set(into)] : fresh.from;
      }
    }
  }
  if (fresh.kind === 'write' && step.kind === 'cas') {
    out.target = step.target;
    out.value = literalText(step.to);
  }
  if (fresh.kind === 'write' && step.kind === 'update') {
    const set = step.set.find((s) => s.field === 'state');
    if (set) {
      out.target = `${step.target}.state`;
      out.value = set.value;
    }
  }
  return out as Step;
}

/** How many steps a step holds in its blocks, at any depth: what a kind change must not drop unannounced. */
export function nestedStepCount(step: unknown): number {
  return uncheckedBlocks(step).reduce((n, [, steps]) => n + steps.length + steps.reduce((m: number, s) => m + nestedStepCount(s), 0), 0);
}
