/** states.ts: a state union per resource, its transition table, canTransition and assertTransition. */
import { tsHeader, type Context } from './context';
import { documentResources, edgeIndex } from './edges';
import { objectKey as key, str, typeKey } from './names';
import { pretty } from './pretty';

/** One table row `  Key: value,`, the value broken over lines when the row would be too long. */
const row = (name: string, value: unknown) => `  ${key(name)}: ${pretty(value, `  ${key(name)}: `.length, 2)},`;

export function statesFile(ctx: Context): string {
  const resources = [...ctx.model.catalog.resources.values()];
  const out: string[] = [tsHeader(ctx, 'states.ts', 'resource states and their transitions'), ''];
  out.push(`/** The model's resource types. */`, `export type Resource = ${resources.map((r) => str(r.name)).join(' | ')};`, '');
  out.push(`export type StateKind = 'stable' | 'transitional' | 'terminal' | 'error';`, '');
  for (const r of resources) {
    out.push(`/** States of ${r.name}. */`, `export type ${r.name}State = ${r.states.map(str).join(' | ')};`, '');
  }
  out.push('/** The state type of each resource. */', 'export interface StateOf {', ...resources.map((r) => `  ${typeKey(r.name)}: ${r.name}State;`), '}', '');
  out.push('/** Every state of each resource, in model order. */', 'export const STATES: { readonly [R in Resource]: readonly StateOf[R][] } = {');
  for (const r of resources) out.push(row(r.name, r.states));
  out.push('};', '');
  out.push('/** The state a new instance starts in. */', 'export const INITIAL: { readonly [R in Resource]: StateOf[R] } = {');
  for (const r of resources) out.push(`  ${key(r.name)}: ${str(r.states[r.initial] ?? r.states[0] ?? '')},`);
  out.push('};', '');
  out.push('/** Each state\'s kind: transitional states must always be left again; terminal ones never are. */');
  out.push('export const STATE_KINDS: {', '  readonly [R in Resource]: { readonly [S in StateOf[R]]: StateKind };', '} = {');
  for (const r of resources) out.push(row(r.name, new Map(r.states.map((s, i) => [s, r.stateKinds[i] ?? 'stable']))));
  out.push('};', '');
  out.push('/** The allowed transitions: for each state, the states it may move to. */');
  out.push('export const TRANSITIONS: {', '  readonly [R in Resource]: { readonly [S in StateOf[R]]: readonly StateOf[R][] };', '} = {');
  const docs = documentResources(ctx.model.document.resources);
  for (const r of resources) {
    const { outgoing } = edgeIndex(r, docs.get(r.name));
    out.push(`  ${key(r.name)}: {`);
    r.states.forEach((from, i) => out.push(`    ${key(from)}: [${outgoing[i]!.map(str).join(', ')}],`));
    out.push('  },');
  }
  out.push('};', '');
  // Named transitions grouped by resource name once (every document resource of that name, in order).
  const named = new Map<string, Array<{ from: string; to: string; name?: string }>>();
  for (const d of ctx.model.document.resources) {
    const list = named.get(d.name) ?? [];
    named.set(d.name, list);
    for (const t of d.transitions) if (t.name) list.push(t);
  }
  out.push('/** Names the model gives transitions, by `from->to`. */', 'export const TRANSITION_NAMES: {', '  readonly [R in Resource]: Readonly<Record<string, string>>;', '} = {');
  for (const r of resources) {
    const mine = named.get(r.name) ?? [];
    out.push(row(r.name, new Map(mine.map((t) => [`${t.from}->${t.to}`, t.name ?? '']))));
  }
  out.push('};', '');
  out.push(
    '/** Whether `value` is a state of `resource`. */',
    'export function isState<R extends Resource>(resource: R, value: string): value is StateOf[R] {',
    '  return (STATES[resource] as readonly string[]).includes(value);',
    '}',
    '',
    '/** Whether the model allows `resource` to move from `from` to `to`. */',
    'export function canTransition<R extends Resource>(',
    '  resource: R,',
    '  from: StateOf[R],',
    '  to: StateOf[R],',
    '): boolean {',
    '  type Table = Readonly<Record<string, readonly string[] | undefined>>;',
    '  const table = TRANSITIONS[resource] as unknown as Table;',
    '  // Own keys only: a name like "constructor" must not find Object.prototype\'s.',
    '  return Object.prototype.hasOwnProperty.call(table, from) && (table[from]?.includes(to) ?? false);',
    '}',
    '',
    '/** A move the state machine does not have. */',
    'export class IllegalTransitionError<R extends Resource = Resource> extends Error {',
    '  readonly resource: R;',
    '  readonly from: StateOf[R];',
    '  readonly to: StateOf[R];',
    '  constructor(resource: R, from: StateOf[R], to: StateOf[R]) {',
    '    super(`illegal transition of ${resource}: ${from} -> ${to}`);',
    "    this.name = 'IllegalTransitionError';",
    '    this.resource = resource;',
    '    this.from = from;',
    '    this.to = to;',
    '  }',
    '}',
    '',
    '/** Throws IllegalTransitionError (naming both states) unless the model allows the move. */',
    'export function assertTransition<R extends Resource>(',
    '  resource: R,',
    '  from: StateOf[R],',
    '  to: StateOf[R],',
    '): void {',
    '  if (!canTransition(resource, from, to)) throw new IllegalTransitionError(resource, from, to);',
    '}',
    '',
  );
  return out.join('\n');
}
