/**
 * The one place that knows which parts of a step hold nested steps. Everything
 * that walks steps (checker compile, analysis, pseudo-code, codegen, editor
 * paths and edits) navigates with these functions instead of re-deriving the
 * recursion, so a new step kind is added here once and the compiler points at
 * every `switch` that must handle it (each ends in `unreachable`).
 */
import type { Step } from './schema';

export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** The keys under which a step kind may hold nested step lists. */
export type BlockKey = 'then' | 'else' | 'steps' | 'onFail';

/** A path from an operation's step list to one step: indexes and block keys, e.g. `[2, 'then', 0]`. */
export type StepPath = Array<number | BlockKey>;

/** Ends an exhaustive switch: adding a union member makes every such switch a compile error. */
export function unreachable(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}

/** Nested step lists of a step, with the key each sits under, in document order. */
export function childBlocks(step: Step): Array<[key: BlockKey, steps: Step[]]> {
  switch (step.kind) {
    case 'if':
      return step.else ? [['then', step.then], ['else', step.else]] : [['then', step.then]];
    case 'atomic':
    case 'with':
      return [['steps', step.steps]];
    case 'acquire':
      return step.else ? [['else', step.else]] : [];
    case 'write':
    case 'call':
      return step.onFail ? [['onFail', step.onFail]] : [];
    case 'read':
    case 'await':
    case 'require':
    case 'cas':
    case 'release':
    case 'assert':
    case 'abort':
    case 'return':
      return [];
    default:
      return unreachable(step, 'step kind');
  }
}

/** The block keys a step kind can ever have (whether or not this step fills them). */
export function blockKeysOf(kind: StepKind): BlockKey[] {
  switch (kind) {
    case 'if':
      return ['then', 'else'];
    case 'atomic':
    case 'with':
      return ['steps'];
    case 'acquire':
      return ['else'];
    case 'write':
    case 'call':
      return ['onFail'];
    case 'read':
    case 'await':
    case 'require':
    case 'cas':
    case 'release':
    case 'assert':
    case 'abort':
    case 'return':
      return [];
    default:
      return unreachable(kind, 'step kind');
  }
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
