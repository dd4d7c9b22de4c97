/**
 * Daemons: an operation with an endless loop (a `repeat` without `until`, at
 * any depth) is a poller, a periodic job or a heartbeat. It never ends on its
 * own, so liveness ("every operation ends") exempts it; it is still scheduled
 * fairly. Works on document and analyzed operations alike.
 */
import { mirroredBlocks, type StepKind } from './walk';

interface StepLike {
  kind: StepKind;
  until?: unknown;
}

/** Whether the operation contains a `repeat` without `until`. */
export function isDaemon(operation: { steps: ReadonlyArray<StepLike> }): boolean {
  return hasEndlessLoop(operation.steps);
}

function hasEndlessLoop(steps: ReadonlyArray<StepLike>): boolean {
  return steps.some((step) => (step.kind === 'repeat' && step.until == null) || mirroredBlocks(step).some(([, block]) => hasEndlessLoop(block)));
}
