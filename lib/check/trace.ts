/**
 * Rebuilds a readable trace from the explorer's move ordinals. The explorer
 * works on canonical (symmetry-sorted) states; the trace must name the same
 * process throughout, so it replays concrete states and, at each step, takes
 * the concrete move whose canonical result is the explored one.
 */
import { makeCanonicalizer, fingerprint } from './canonical';
import type { Trace, ViolationReport } from './result';
import type { Violation } from './semantics';
import { StepApi } from './step-api';
import type { System } from './system';

/**
 * Replays the explored path concretely. Returns the trace and the violation
 * as the concrete replay meets it (it names the process of this trace, not
 * its symmetric twin in the explorer's canonical states).
 */
export function rebuildTrace(
  system: System,
  path: number[],
  expected: ViolationReport | null,
): { trace: Trace; violation: Violation | null } {
  const api = new StepApi(system);
  const semantics = api.semantics;
  const canonicalize = makeCanonicalizer(system);
  const canonicalKey = (s: Int32Array) => {
    const copy = s.slice();
    canonicalize(copy);
    const fp = new Int32Array(2);
    fingerprint(copy, fp);
    return `${fp[0]}:${fp[1]}`;
  };

  // The explored sequence of canonical states.
  const init = api.initial().state;
  let canonical = init.slice();
  canonicalize(canonical);
  const targets: Array<string | null> = [];
  const scratch = new Int32Array(system.size);
  for (const ordinal of path) {
    let chosen = -1;
    let index = 0;
    semantics.forEachMove(
      canonical,
      (move) => {
        if (index++ === ordinal) {
          chosen = move;
          return true;
        }
        return false;
      },
      true,
    );
    if (chosen < 0) throw new Error('trace replay diverged from exploration (no such move)');
    const violation = semantics.apply(canonical, chosen, scratch);
    if (violation) {
      targets.push(null); // the last move breaks a property mid-step
      break;
    }
    canonical = scratch.slice();
    canonicalize(canonical);
    targets.push(canonicalKey(canonical));
  }

  // Concrete replay, following the same canonical states.
  const trace: Trace = { initial: api.view(init), steps: [] };
  let state = init;
  let last: Violation | null = api.initial().violation;
  for (const target of targets) {
    let taken = false;
    for (const option of api.moves(state)) {
      if (target === null) {
        const result = api.step(state, option.move);
        if (result.violation && (!expected || result.violation.kind === expected.kind)) {
          trace.steps.push(result.step);
          last = result.violation;
          taken = true;
          break;
        }
        continue;
      }
      semantics.apply(state, option.move, scratch);
      if (canonicalKey(scratch) !== target) continue;
      const result = api.step(state, option.move);
      trace.steps.push(result.step);
      state = result.state;
      last = result.violation;
      taken = true;
      break;
    }
    if (!taken) throw new Error('trace replay diverged from exploration (no matching concrete move)');
  }
  return { trace, violation: last };
}
