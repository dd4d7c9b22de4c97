/**
 * Rebuilds a readable trace from the explorer's move ordinals by replaying
 * them through the step API from the initial state. The explorer stores real
 * states (symmetry lives only in the fingerprint), so the k-th move of each
 * replayed state is exactly the move it took.
 */
import type { Trace, Violation } from './result';
import { StepApi } from './step-api';
import type { System } from './system';

export function rebuildTrace(system: System, path: number[]): { trace: Trace; violation: Violation | null } {
  const api = new StepApi(system);
  const start = api.initial();
  const trace: Trace = { initial: api.view(start.state), steps: [] };
  let state = start.state;
  let violation: Violation | null = start.violation;
  // An empty path: the initial state itself breaks an invariant or is terminal (deadlock, stuck).
  if (path.length === 0 && !violation) violation = api.semantics.brokenInvariant(state) ?? api.semantics.terminalViolation(state);
  for (const move of movesOfPath(api, path)) {
    const result = api.step(state, move);
    trace.steps.push(result.step);
    state = result.state;
    violation = result.violation;
  }
  return { trace, violation };
}

/**
 * Turns the explorer's move ordinals (see explore.ts) into replayable move
 * codes, on packed states: the same enumeration as the explorer, which skips
 * the moves of a twin identical to an earlier one.
 */
export function movesOfPath(api: StepApi, path: readonly number[]): number[] {
  let state: Int32Array = api.initial().state;
  let next: Int32Array = new Int32Array(state.length);
  const out: number[] = [];
  for (const ordinal of path) {
    let chosen = -1;
    let index = 0;
    api.semantics.forEachMove(state, (move) => {
      if (index++ !== ordinal) return false;
      chosen = move;
      return true;
    }, true);
    if (chosen < 0) throw new Error('trace replay diverged from exploration (no such move)');
    out.push(chosen);
    api.semantics.apply(state, chosen, next);
    [state, next] = [next, state];
  }
  return out;
}
