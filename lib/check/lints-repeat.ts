/**
 * The loop lint: a step right after a `repeat` without `until` never runs
 * (such a loop is only left by `return` or `abort`).
 */
import { forEachAnalyzedStep, type AnalyzedOperation, type AnalyzedStep } from '../model/analyzed';
import { mirroredBlocks } from '../model/walk';
import type { Lint } from './lints';

export function lintAfterEndlessLoops(op: AnalyzedOperation, lints: Lint[]): void {
  const visit = (steps: AnalyzedStep[]) => {
    const loop = steps.findIndex((step) => step.kind === 'repeat' && step.until === null);
    if (loop < 0 || loop === steps.length - 1) return;
    const next = steps[loop + 1];
    lints.push({
      code: 'after-endless-loop',
      severity: 'warning',
      path: next.path,
      message: `${op.name} › ${where(next)} never runs: the loop before it (${where(steps[loop])}) has no until, so it only ends by return or abort`,
    });
  };
  visit(op.steps);
  forEachAnalyzedStep(op.steps, (step) => {
    for (const [, block] of mirroredBlocks(step)) visit(block);
  });
}

function where(step: { where: string; label?: string }): string {
  return step.label ? `${step.where} '${step.label}'` : step.where;
}
