/**
 * What a thread can be anchored to in one version of a model, as the picker
 * lists it: every state, transition, step, lock, invariant and scenario, each
 * with the words a person reads (never an id). Pure.
 */
import { stepText, type ModelDocument } from '@/lib/model';
import { forEachStep } from '@/lib/model/walk';
import { anchorLabel, type Anchor } from '@/lib/reviews/anchor';

export interface AnchorOption {
  /** Stable key for a <select> value. */
  key: string;
  label: string;
  anchor: Anchor;
}

export interface AnchorGroup {
  label: string;
  options: AnchorOption[];
}

const option = (anchor: Anchor, label: string): AnchorOption => ({ key: JSON.stringify(anchor), label, anchor });

export function anchorGroups(doc: ModelDocument): AnchorGroup[] {
  const states: AnchorOption[] = [];
  const transitions: AnchorOption[] = [];
  for (const r of doc.resources) {
    for (const s of r.states) states.push(option({ kind: 'state', resource: r.name, state: s.name }, `${r.name}.${s.name} (${s.kind})`));
    for (const t of r.transitions) {
      transitions.push(option({ kind: 'transition', resource: r.name, from: t.from, to: t.to }, `${r.name}: ${t.from} → ${t.to}${t.name ? ` (${t.name})` : ''}`));
    }
  }
  const steps: AnchorOption[] = [];
  for (const op of doc.operations) {
    forEachStep(op.steps, (step, path) => {
      const anchor: Anchor = { kind: 'step', operation: op.name, path: [...path], ...(step.label ? { label: step.label } : {}) };
      steps.push(option(anchor, `${anchorLabel(anchor, doc)}: ${clip(stepText(step))}`));
    });
  }
  const groups: AnchorGroup[] = [
    { label: 'The model', options: [option({ kind: 'model' }, 'The model as a whole')] },
    { label: 'States', options: states },
    { label: 'Transitions', options: transitions },
    { label: 'Steps', options: steps },
    { label: 'Locks', options: doc.locks.map((l) => option({ kind: 'lock', lock: l.name }, l.name)) },
    { label: 'Invariants', options: doc.invariants.map((i) => option({ kind: 'invariant', invariant: i.name }, `${i.name}: ${clip(i.expr)}`)) },
    { label: 'Scenarios', options: doc.scenarios.map((s) => option({ kind: 'scenario', scenario: s.name }, s.name)) },
  ];
  return groups.filter((g) => g.options.length > 0);
}

function clip(text: string, max = 70): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The document path of an anchored step's list and index, as the editor's StepCard addresses it. */
export function stepCardAddress(doc: ModelDocument, operation: string, path: ReadonlyArray<number | string>): { opIndex: number; list: string; index: number; depth: number } | null {
  const opIndex = doc.operations.findIndex((o) => o.name === operation);
  if (opIndex < 0 || path.length === 0 || path.length % 2 === 0) return null;
  let list = `operations[${opIndex}].steps`;
  for (let i = 0; i < path.length - 1; i += 2) list += `[${path[i]}].${path[i + 1]}`;
  return { opIndex, list, index: path[path.length - 1] as number, depth: (path.length - 1) / 2 };
}
