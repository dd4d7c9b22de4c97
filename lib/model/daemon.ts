/**
 * Daemons: an operation with an endless loop (a `repeat` without `until`, at
 * any depth) is a poller, a periodic job or a heartbeat. It never ends on its
 * own, so liveness ("every operation ends") exempts it; it is still scheduled
 * fairly. Works on document and analyzed operations alike.
 */
import { BLOCK_KEYS } from './walk';

interface StepLike {
  kind: string;
  until?: unknown;
}

/** Whether the operation contains a `repeat` without `until`. */
export function isDaemon(operation: { steps: ReadonlyArray<StepLike> }): boolean {
  return hasEndlessLoop(operation.steps);
}

function hasEndlessLoop(steps: ReadonlyArray<StepLike>): boolean {
  for (const step of steps) {
    if (step.kind === 'repeat' && (step.until === undefined || step.until === null)) return true;
    const blocks = step as unknown as Record<string, unknown>;
    for (const key of BLOCK_KEYS) {
      const block = blocks[key];
      if (Array.isArray(block) && hasEndlessLoop(block as StepLike[])) return true;
    }
  }
  return false;
}
