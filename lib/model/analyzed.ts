/**
 * A validated model with every expression parsed and typed: what the checker compiles.
 * Analyzed steps keep the document's block keys (then, else, steps, onFail), so
 * lib/model/walk.ts navigates them too.
 */
import type { Catalog } from './catalog';
import type { ModelDocument, Scenario } from './schema';
import type { Type, Typed } from './expr/types';
import { mirroredBlocks } from './walk';

/** The field a write or cas updates: `object.field`, where object denotes an instance. */
export interface LValue {
  object: Typed;
  resource: string;
  field: string;
  type: Type;
}

export interface LockUse {
  lock: string;
  on: Typed | null;
}

interface StepBase {
  /** Path into the document, e.g. `operations[0].steps[2].then[0]`. */
  path: string;
  /** Human path, e.g. `step 2 (with) › step 1 (cas)`. */
  where: string;
  /** The step as one line of pseudo-code. */
  text: string;
  label?: string;
}

export type AnalyzedStep = StepBase &
  (
    | { kind: 'read'; local: string; expr: Typed }
    | { kind: 'if'; cond: Typed; then: AnalyzedStep[]; else: AnalyzedStep[] }
    | { kind: 'await'; cond: Typed }
    | { kind: 'require'; cond: Typed; message: string }
    | { kind: 'write'; target: LValue; value: Typed; fencedBy: LockUse | null; onFail: AnalyzedStep[] | null }
    | { kind: 'cas'; target: LValue; from: number[]; to: number; else: 'abort' | 'skip' | 'retry'; message: string }
    | {
        kind: 'update';
        /** The instance updated (a ref-typed expression) and its resource. */
        instance: Typed;
        resource: string;
        /**
         * The document's `where` (named `expected`, like Cinder's expected_values: `where` is every step's human path).
         * Each `target.object` is `instance`; `values` has one item for ==/!=, the list's items for in/not in.
         */
        expected: Array<{ target: LValue; op: '==' | '!=' | 'in' | 'not in'; values: Typed[] }>;
        filters: Array<{ name: string; cond: Typed }>;
        /** Values are evaluated on the state before the update. */
        set: Array<{ target: LValue; value: Typed }>;
        else: 'abort' | 'skip' | 'retry';
        message: string;
        /** Condition names in order (where fields, then filter names): the values of `failedAs`'s enum type. */
        conditions: string[];
        failedAs: string | null;
        onFail: AnalyzedStep[] | null;
      }
    | { kind: 'atomic'; steps: AnalyzedStep[] }
    | ({ kind: 'acquire'; shared: boolean; try: boolean; timeout: number | null; else: AnalyzedStep[] } & LockUse)
    | { kind: 'repeat'; steps: AnalyzedStep[]; until: Typed | null }
    | ({ kind: 'release' } & LockUse)
    | ({ kind: 'with'; shared: boolean; steps: AnalyzedStep[] } & LockUse)
    | { kind: 'call'; name: string; long: boolean; mayFail: boolean; onFail: AnalyzedStep[] | null }
    | { kind: 'assert'; cond: Typed; message: string }
    | { kind: 'abort'; message: string }
    | { kind: 'return' }
  );

export interface AnalyzedOperation {
  name: string;
  index: number;
  params: Array<{ name: string; type: string }>;
  locals: Map<string, Type>;
  steps: AnalyzedStep[];
}

export interface AnalyzedInvariant {
  name: string;
  expr: Typed;
  source: string;
  /** Path into the document. */
  path: string;
}

export interface AnalyzedModel {
  document: ModelDocument;
  catalog: Catalog;
  operations: Map<string, AnalyzedOperation>;
  invariants: AnalyzedInvariant[];
  scenarios: AnalyzedScenario[];
}

export interface AnalyzedScenario {
  source: Scenario;
  index: number;
  /** Scenario-specific invariants, typed with the scenario's instances in scope. */
  invariants: AnalyzedInvariant[];
}

/**
 * Visits every analyzed step, nested ones included, in document order.
 * `intoAtomic: false` treats an atomic block as one step (its inner steps are not visited).
 */
export function forEachAnalyzedStep(
  steps: AnalyzedStep[],
  visit: (step: AnalyzedStep) => void,
  options: { intoAtomic?: boolean } = {},
): void {
  for (const step of steps) {
    visit(step);
    if (step.kind === 'atomic' && options.intoAtomic === false) continue;
    for (const [, block] of mirroredBlocks(step)) forEachAnalyzedStep(block, visit, options);
  }
}
