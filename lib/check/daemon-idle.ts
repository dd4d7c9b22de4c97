/**
 * Where a daemon idles: an `await` inside a `repeat` without `until` is a
 * server loop waiting for work (Spin's `end:` label at a server's wait). A
 * process blocked there is quiescent, not deadlocked: when nothing else can
 * move, the system has simply finished its work.
 */
import type { AnalyzedStep } from '../model/analyzed';
import { forEachAnalyzedStep } from '../model/analyzed';
import type { CompiledInstr } from './instructions';

/** For each pc of `program` (compiled from `steps`): 1 when it is an await inside an endless loop. */
export function idleAwaits(steps: AnalyzedStep[], program: CompiledInstr[]): Uint8Array {
  const inLoop = new Set<AnalyzedStep>();
  forEachAnalyzedStep(steps, (step) => {
    if (step.kind === 'repeat' && step.until === null) forEachAnalyzedStep(step.steps, (inner) => inner.kind === 'await' && inLoop.add(inner));
  });
  return Uint8Array.from(program, (instr) => (instr.kind === 'await' && inLoop.has(instr.step) ? 1 : 0));
}
