/**
 * The model document's structure as the merge sees it: which parts are lists
 * of named items (matched by name), lists matched by position (steps,
 * transitions, scenario processes), records merged key by key, and atoms
 * (values that change as a whole: an expression, a field type, a cas's `from`).
 * The labels say where a conflict is in words a person reads.
 */
import type { BlockKey } from '../walk';
import { isRecord } from './equal';

export type Shape =
  | { kind: 'atom' }
  /** Keys merged one by one; `rest` is the shape of keys not in `fields` (dictionaries such as `args`). */
  | { kind: 'record'; fields: Record<string, Shape>; rest?: Shape; silent?: boolean }
  /** A list; `identity` says how items of base, head and draft are paired. */
  | { kind: 'list'; identity: 'name' | 'position'; item: Shape; noun: (item: unknown, index: number, block?: BlockKey) => string }
  /** A step: a record whose block keys (then/else/steps/onFail) are step lists; a kind change makes it an atom. */
  | { kind: 'step' };

export const atom: Shape = { kind: 'atom' };
const record = (fields: Record<string, Shape>, rest?: Shape): Shape => ({ kind: 'record', fields, rest });
const field = (item: unknown, key: string): string => (isRecord(item) && typeof item[key] === 'string' ? (item[key] as string) : '?');

const named = (what: string, item: Shape): Shape => ({
  kind: 'list',
  identity: 'name',
  item,
  noun: (it) => `${what} ${field(it, 'name')}`,
});

export const stepList: Shape = {
  kind: 'list',
  identity: 'position',
  item: { kind: 'step' },
  noun: (it, index, block) => `${block && block !== 'steps' ? `${block} ` : ''}step ${index + 1} (${field(it, 'kind')})`,
};

/** The shape of a step's key, given its kind's block keys. */
export function stepFieldShape(key: string, blockKeys: readonly BlockKey[]): Shape {
  if ((blockKeys as readonly string[]).includes(key)) return stepList;
  if (key === 'fencedBy') return record({});
  return atom;
}

const resource = record({
  states: named('state', record({})),
  transitions: {
    kind: 'list',
    identity: 'position',
    item: record({}),
    noun: (it) => `transition ${field(it, 'from')} → ${field(it, 'to')}`,
  },
  fields: named('field', record({})),
});

const processList = (what: string): Shape => ({
  kind: 'list',
  identity: 'position',
  item: record({ args: record({}) }),
  noun: (it, index) => `${what} ${isRecord(it) && typeof it.name === 'string' ? it.name : `${index + 1} (${field(it, 'operation')})`}`,
});

const scenario = record({
  nodes: named('node', record({})),
  instances: named('instance', record({ fields: record({}) })),
  processes: processList('process'),
  recovery: processList('recovery'),
  faults: record({}),
  checks: record({}),
  locks: record({}, record({})),
  invariants: named('invariant', record({})),
  // `expect` is a tagged union: merging its keys separately could pair one side's verdict with the other's kind.
  expect: atom,
});

/** Layout never conflicts: a position is an atom, and when both sides moved it, head's wins. */
const layout: Shape = { kind: 'record', fields: { resources: record({}, record({})) }, silent: true };

export const documentShape: Shape = record({
  resources: named('resource', resource),
  locks: named('lock', record({})),
  operations: named('operation', record({ params: named('param', record({})), steps: stepList })),
  invariants: named('invariant', record({})),
  scenarios: named('scenario', scenario),
  layout,
});
