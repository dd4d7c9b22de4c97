/**
 * The one place that knows which parts of a step hold nested steps (BLOCKS_OF).
 * Everything that walks steps (checker compile, analysis, pseudo-code, codegen,
 * editor paths and edits) navigates with these functions instead of re-deriving
 * the recursion: document steps (`childBlocks`, `forEachStep`, `mapSteps`,
 * `stepAt`), steps not yet validated (`uncheckedBlocks`, `forEachUncheckedStep`,
 * `mapUncheckedSteps`) and trees that mirror them (`mirroredBlocks`, the analyzed
 * steps). A new step kind is added to BLOCKS_OF once, and the compiler points at
 * every `switch` that must handle it (each ends in `unreachable`).
 */
import type { Step } from './schema';

export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** Every key under which some step kind holds nested step lists (for looking at steps the schema has not checked). */
export const BLOCK_KEYS = ['then', 'else', 'steps', 'onFail'] as const;

/** The keys under which a step kind may hold nested step lists. */
export type BlockKey = (typeof BLOCK_KEYS)[number];

/** A path from an operation's step list to one step: indexes and block keys, e.g. `[2, 'then', 0]`. */
export type StepPath = Array<number | BlockKey>;

/** Ends an exhaustive switch: adding a union member makes every such switch a compile error. */
export function unreachable(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/** The keys of a step kind that hold nested step lists (what BLOCKS_OF may list for it). */
type BlockKeysOf<K extends StepKind> = {
  [P in keyof StepOf<K>]-?: P extends BlockKey ? (NonNullable<StepOf<K>[P]> extends Step[] ? P : never) : never;
}[keyof StepOf<K>];

/**
 * The block keys each step kind can ever have (whether or not a given step fills them),
 * in document order. A new kind must be listed (the type requires every kind), and a
 * key the kind does not hold as a step list does not compile.
 */
const BLOCKS_OF: { readonly [K in StepKind]: ReadonlyArray<BlockKeysOf<K>> } = {
  if: ['then', 'else'],
  atomic: ['steps'],
  with: ['steps'],
  acquire: ['else'],
  write: ['onFail'],
  call: ['onFail'],
  update: ['onFail'],
  repeat: ['steps'],
  read: [],
  await: [],
  require: [],
  cas: [],
  release: [],
  assert: [],
  abort: [],
  return: [],
};

export function isStepKind(value: unknown): value is StepKind {
  return typeof value === 'string' && Object.hasOwn(BLOCKS_OF, value);
}

/**
 * `kinds` unchanged, typed so that leaving a step kind out is a compile error naming it
 * (for lists that must offer every kind, such as the editor's palette).
 */
export function everyStepKind<const T extends readonly StepKind[]>(
  kinds: T & ([Exclude<StepKind, T[number]>] extends [never] ? unknown : { missing: Exclude<StepKind, T[number]> }),
): T {
  return kinds;
}

/** Nested step lists of a step, with the key each sits under, in document order (a block a step leaves out is skipped). */
export function childBlocks(step: Step): Array<[key: BlockKey, steps: Step[]]> {
  return mirroredBlocks(step);
}

/** The block keys a step kind can ever have (whether or not this step fills them). */
export function blockKeysOf(kind: StepKind): BlockKey[] {
  return [...BLOCKS_OF[kind]];
}

/**
 * Nested lists of a node of a tree that mirrors the document's steps under the same
 * block keys (the analyzed steps do): the same navigation, for the checker's input.
 */
export function mirroredBlocks<S extends { kind: StepKind }>(node: S): Array<[key: BlockKey, nodes: S[]]> {
  const out: Array<[BlockKey, S[]]> = [];
  // A document still being edited may lack even a required block: only lists count.
  for (const key of BLOCKS_OF[node.kind] as readonly BlockKey[]) {
    const list = (node as unknown as Partial<Record<BlockKey, unknown>>)[key];
    if (Array.isArray(list)) out.push([key, list as S[]]);
  }
  return out;
}

/**
 * Nested step lists of a value that is meant to be a step but has not been validated
 * (a document being edited, a textual scan of a broken one). A known kind's blocks that
 * hold a list; for an unknown kind, every block key that holds one. Never throws.
 */
export function uncheckedBlocks(step: unknown): Array<[key: BlockKey, steps: unknown[]]> {
  if (typeof step !== 'object' || step === null) return [];
  const record = step as Record<string, unknown>;
  const keys: readonly BlockKey[] = isStepKind(record.kind) ? BLOCKS_OF[record.kind] : BLOCK_KEYS;
  return keys.flatMap((key) => (Array.isArray(record[key]) ? [[key, record[key] as unknown[]] as [BlockKey, unknown[]]] : []));
}

/** Visits every step, nested ones included, in document order (pre-order). */
export function forEachStep(steps: readonly Step[], visit: (step: Step, path: StepPath) => void, path: StepPath = []): void {
  steps.forEach((step, index) => {
    const here: StepPath = [...path, index];
    visit(step, here);
    for (const [key, block] of childBlocks(step)) forEachStep(block, visit, [...here, key]);
  });
}

/** Whether any step (nested included) satisfies `test`. */
export function someStep(steps: readonly Step[], test: (step: Step, path: StepPath) => boolean): boolean {
  let found = false;
  forEachStep(steps, (step, path) => {
    if (!found && test(step, path)) found = true;
  });
  return found;
}

/**
 * Rebuilds a step list bottom-up: children are mapped first, then `rewrite`
 * sees the step with its already-mapped blocks. Returning `null` drops the step.
 */
export function mapSteps(steps: readonly Step[], rewrite: (step: Step, path: StepPath) => Step | null, path: StepPath = []): Step[] {
  const out: Step[] = [];
  steps.forEach((step, index) => {
    const here: StepPath = [...path, index];
    let copy = step;
    for (const [key, block] of childBlocks(step)) {
      copy = { ...copy, [key]: mapSteps(block, rewrite, [...here, key]) } as Step;
    }
    const next = rewrite(copy, here);
    if (next) out.push(next);
  });
  return out;
}

/** The step at `path`, or undefined when the path does not lead to one. */
export function stepAt(steps: readonly Step[], path: readonly (number | BlockKey)[]): Step | undefined {
  let list: readonly Step[] | undefined = steps;
  let step: Step | undefined;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (typeof part === 'number') {
      step = list?.[part];
      if (!step) return undefined;
      list = undefined;
    } else {
      if (!step) return undefined;
      list = childBlocks(step).find(([key]) => key === part)?.[1];
      if (!list) return undefined;
    }
  }
  return typeof path[path.length - 1] === 'number' ? step : undefined;
}

// ---- steps not yet validated (the editor's working copy, a broken document) ----

/** `forEachStep` for a value that has not been validated: non-lists and non-objects are skipped, never thrown on. */
export function forEachUncheckedStep(
  steps: unknown,
  visit: (step: Record<string, unknown>, path: StepPath) => void,
  path: StepPath = [],
): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step: unknown, index) => {
    if (typeof step !== 'object' || step === null) return;
    const here: StepPath = [...path, index];
    visit(step as Record<string, unknown>, here);
    for (const [key, block] of uncheckedBlocks(step)) forEachUncheckedStep(block, visit, [...here, key]);
  });
}

/**
 * Rebuilds a step list that has not been validated, top-down: `rewrite` sees each step
 * first, then the blocks of what it returned are rebuilt the same way.
 */
export function mapUncheckedSteps(steps: readonly unknown[], rewrite: (step: Record<string, unknown>) => Record<string, unknown>): unknown[] {
  return steps.map((raw) => {
    let step = rewrite(raw as Record<string, unknown>);
    for (const [key, block] of uncheckedBlocks(step)) step = { ...step, [key]: mapUncheckedSteps(block, rewrite) };
    return step;
  });
}
