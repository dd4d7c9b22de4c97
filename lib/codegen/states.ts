/** states.ts: a state union per resource, its transition table, canTransition and assertTransition. */
import { tsHeader, type Context } from './context';
import { key, str } from './names';

export function statesFile(ctx: Context): string {
  const resources = [...ctx.model.catalog.resources.values()];
  const out: string[] = [tsHeader(ctx, 'states.ts', 'resource states and their transitions'), ''];
  out.push(`/** The model's resource types. */`, `export type Resource = ${resources.map((r) => str(r.name)).join(' | ')};`, '');
  out.push(`export type StateKind = 'stable' | 'transitional' | 'terminal' | 'error';`, '');
  for (const r of resources) {
    out.push(`/** States of ${r.name}. */`, `export type ${r.name}State = ${r.states.map(str).join(' | ')};`, '');
  }
  out.push('/** The state type of each resource. */', 'export interface StateOf {', ...resources.map((r) => `  ${key(r.name)}: ${r.name}State;`), '}', '');
  out.push('/** Every state of each resource, in model order. */', 'export const STATES: { readonly [R in Resource]: readonly StateOf[R][] } = {');
  for (const r of resources) out.push(`  ${key(r.name)}: [${r.states.map(str).join(', ')}],`);
  out.push('};', '');
  out.push('/** The state a new instance starts in. */', 'export const INITIAL: { readonly [R in Resource]: StateOf[R] } = {');
  for (const r of resources) out.push(`  ${key(r.name)}: ${str(r.states[r.initial] ?? r.states[0] ?? '')},`);
  out.push('};', '');
  out.push('/** Each state\'s kind: transitional states must always be left again; terminal ones never are. */');
  out.push('export const STATE_KINDS: { readonly [R in Resource]: { readonly [S in StateOf[R]]: StateKind } } = {');
  for (const r of resources) out.push(`  ${key(r.name)}: { ${r.states.map((s, i) => `${key(s)}: ${str(r.stateKinds[i] ?? 'stable')}`).join(', ')} },`);
  out.push('};', '');
  out.push('/** The allowed transitions: for each state, the states it may move to. */');
  out.push('export const TRANSITIONS: { readonly [R in Resource]: { readonly [S in StateOf[R]]: readonly StateOf[R][] } } = {');
  for (const r of resources) {
    out.push(`  ${key(r.name)}: {`);
    for (const from of r.states) {
      const to = r.states.filter((t) => r.edges.has(`${from}->${t}`));
      out.push(`    ${key(from)}: [${to.map(str).join(', ')}],`);
    }
    out.push('  },');
  }
  out.push('};', '');
  const named = ctx.model.document.resources.flatMap((r) => r.transitions.filter((t) => t.name).map((t) => ({ r: r.name, ...t })));
  out.push('/** Names the model gives transitions, by `from->to`. */', 'export const TRANSITION_NAMES: { readonly [R in Resource]: Readonly<Record<string, string>> } = {');
  for (const r of resources) {
    const mine = named.filter((t) => t.r === r.name);
    out.push(`  ${key(r.name)}: {${mine.length ? ` ${mine.map((t) => `${str(`${t.from}->${t.to}`)}: ${str(t.name ?? '')}`).join(', ')} ` : ''}},`);
  }
  out.push('};', '');
  out.push(
    '/** Whether `value` is a state of `resource`. */',
    'export function isState<R extends Resource>(resource: R, value: string): value is StateOf[R] {',
    '  return (STATES[resource] as readonly string[]).includes(value);',
    '}',
    '',
    '/** Whether the model allows `resource` to move from `from` to `to`. */',
    'export function canTransition<R extends Resource>(resource: R, from: StateOf[R], to: StateOf[R]): boolean {',
    '  const table = TRANSITIONS[resource] as unknown as Readonly<Record<string, readonly string[] | undefined>>;',
    '  return table[from]?.includes(to) ?? false;',
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
    'export function assertTransition<R extends Resource>(resource: R, from: StateOf[R], to: StateOf[R]): void {',
    '  if (!canTransition(resource, from, to)) throw new IllegalTransitionError(resource, from, to);',
    '}',
    '',
  );
  return out.join('\n');
}
