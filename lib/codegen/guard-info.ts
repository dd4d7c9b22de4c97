/** Which steps become guards, their names and their compiled plans. */
import type { AnalyzedStep } from '../model/analyzed';
import { mirroredBlocks } from '../model/walk';
import { CodegenError, type CodegenIssue, type Context } from './context';
import { camel, NameTable, pascal } from './names';
import { compileStepPlan, planIssue, prismaProblem, type CompiledPlan } from './plan';

export interface GuardInfo {
  name: string;
  operation: string;
  step: AnalyzedStep & { kind: 'cas' | 'atomic' | 'write' | 'update' };
  plan: CompiledPlan;
  /** The `repeat` steps around it, outermost first: the caller runs the guard on every pass. */
  loops: Array<AnalyzedStep & { kind: 'repeat' }>;
}

/** The name of an update guard's condition union: `deleteShareMarkDeleting` → `DeleteShareMarkDeletingCondition`. */
export const conditionType = (guard: string) => `${guard.charAt(0).toUpperCase()}${guard.slice(1)}Condition`;

/** The step's position inside its operation, for unlabelled steps: `operations[2].steps[1].then[0]` → `Step1Then0`. */
function positionName(path: string): string {
  const inner = path.replace(/^operations\[\d+\]\./, '');
  return pascal(inner.replace(/\[(\d+)\]/g, ' $1 ').replace(/steps/g, 'step'));
}

/** A step that becomes a guard: every cas, atomic and update, and a write fenced by a lock that issues tokens. */
function isGuardStep(s: AnalyzedStep, fencing: ReadonlySet<string>): s is GuardInfo['step'] {
  if (s.kind === 'cas' || s.kind === 'atomic' || s.kind === 'update') return true;
  return s.kind === 'write' && s.fencedBy !== null && fencing.has(s.fencedBy.lock);
}

/**
 * Every guard of the model, in document order; throws CodegenError listing every
 * step that cannot be generated. `taken`: names guards.ts declares or imports
 * itself, which no guard (or its `…Plan`) may take.
 */
export function collectGuards(ctx: Context, taken: Iterable<string> = []): GuardInfo[] {
  const names = new NameTable(taken);
  const guards: GuardInfo[] = [];
  const issues: CodegenIssue[] = [];
  const ops = [...ctx.model.operations.values()].sort((a, b) => a.index - b.index);
  const fencing = new Set(ctx.locks.filter((l) => l.fencing).map((l) => l.name));
  for (const op of ops) {
    // An atomic's inner steps belong to its own guard.
    walkWithLoops(op.steps, [], (s, loops) => {
      if (!isGuardStep(s, fencing)) return;
      try {
        const plan = compileStepPlan(ctx.model.catalog, op, s, fencing, ctx.tokenArgs);
        const problem = prismaProblem(plan.ops);
        if (problem) {
          issues.push({ path: s.path, message: `${op.name}: ${problem}` });
          return;
        }
        const name = names.claim(`${camel(op.name)}${pascal(s.label ?? positionName(s.path))}`, (n) => (s.kind === 'update' ? [`${n}Plan`, conditionType(n)] : [`${n}Plan`]));
        guards.push({ name, operation: op.name, step: s, plan, loops });
      } catch (error) {
        const issue = planIssue(error);
        if (!issue) throw error;
        issues.push({ path: issue.path, message: `${op.name}: ${issue.message}` });
      }
    });
  }
  if (issues.length) throw new CodegenError(issues);
  return guards;
}

/** Visits steps in document order with the repeat steps around each; an atomic's inner steps are not visited. */
function walkWithLoops(
  steps: readonly AnalyzedStep[],
  loops: Array<AnalyzedStep & { kind: 'repeat' }>,
  visit: (s: AnalyzedStep, loops: Array<AnalyzedStep & { kind: 'repeat' }>) => void,
): void {
  for (const s of steps) {
    visit(s, loops);
    if (s.kind === 'atomic') continue;
    const inner = s.kind === 'repeat' ? [...loops, s] : loops;
    for (const [, block] of mirroredBlocks(s)) walkWithLoops(block, inner, visit);
  }
}

/** Whether any guard writes with a fencing token or reads a fence column (then the runtime keeps its fencing code). */
export function guardsFence(guards: readonly GuardInfo[]): boolean {
  return guards.some((g) => g.plan.args.tokens.size > 0 || JSON.stringify(g.plan.ops).includes('"ifNull"'));
}

/** Whether any guard is an update step (then the runtime keeps its conditional-update code). */
export function guardsUpdate(guards: readonly GuardInfo[]): boolean {
  return guards.some((g) => g.step.kind === 'update');
}
