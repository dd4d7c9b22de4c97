/**
 * A deliberately naive reference explorer for testing the optimized one.
 *
 * Plain breadth-first search over a `Map` keyed by `state.join(',')`: no
 * fingerprints, no symmetry, no canonicalization, no packed queue, no merging
 * of local steps (the system must be compiled with `{symmetry: false,
 * mergeLocalSteps: false}`; `naiveCheck` does that). It uses the one
 * `Semantics` (there is a single semantics by design) and reports violations in
 * the same order as `explore`: the initial state's own violation, then its
 * invariants and terminal checks; per move: the move's violation, then the new
 * state's invariants, then its terminal checks.
 */
import type { AnalyzedModel } from '../../model/analyzed';
import type { ViolationKind } from '../../model/schema';
import { Semantics, type Violation } from '../semantics';
import { compileSystem, type System } from '../system';

export interface NaiveOutcome {
  verdict: 'pass' | 'violation' | 'incomplete';
  kind: ViolationKind | null;
  violation: Violation | null;
  /** Distinct states stored when the search ended. */
  distinctStates: number;
  /** Number of moves from the initial state to the violation (0: the initial state itself). */
  depth: number | null;
  /** The moves (as `Semantics` encodes them) from the initial state to the violation. */
  moves: number[] | null;
  /** The deepest BFS level a stored state sits at (0: only the initial state). */
  deepest: number;
}

export interface NaiveOptions {
  /** Stop (incomplete) once this many distinct states are stored (default 50,000). */
  maxStates?: number;
  /** Called with every distinct state stored (the initial one included), e.g. to assert state invariants of the semantics. */
  onState?: (state: Int32Array) => void;
}

/** Compiles the scenario without reductions and explores it naively. */
export function naiveCheck(model: AnalyzedModel, scenario: string, options: NaiveOptions = {}): NaiveOutcome {
  return naiveExplore(compileSystem(model, scenario, { symmetry: false, mergeLocalSteps: false }), options);
}

interface Node {
  state: Int32Array;
  depth: number;
  parent: Node | null;
  move: number;
}

export function naiveExplore(system: System, options: NaiveOptions = {}): NaiveOutcome {
  if (system.symmetryGroups.length > 0) throw new Error('naiveExplore needs a system compiled with symmetry: false');
  const maxStates = options.maxStates ?? 50_000;
  const semantics = new Semantics(system);
  const seen = new Map<string, Node>();
  const pathOf = (node: Node, extra: number | null): number[] => {
    const moves: number[] = extra === null ? [] : [extra];
    for (let n: Node | null = node; n && n.parent; n = n.parent) moves.push(n.move);
    return moves.reverse();
  };
  const violation = (v: Violation, node: Node, extra: number | null): NaiveOutcome => {
    const moves = pathOf(node, extra);
    return { verdict: 'violation', kind: v.kind, violation: v, distinctStates: seen.size, depth: moves.length, moves, deepest };
  };

  const init = semantics.initial();
  const root: Node = { state: init.state, depth: 0, parent: null, move: -1 };
  let deepest = 0;
  if (init.violation) return { verdict: 'violation', kind: init.violation.kind, violation: init.violation, distinctStates: 0, depth: 0, moves: [], deepest };
  seen.set(init.state.join(','), root);
  options.onState?.(init.state);
  const v0 = semantics.brokenInvariant(init.state) ?? semantics.terminalViolation(init.state);
  if (v0) return violation(v0, root, null);
  if (seen.size >= maxStates) return { verdict: 'incomplete', kind: null, violation: null, distinctStates: seen.size, depth: null, moves: null, deepest };

  let queue: Node[] = [root];
  while (queue.length > 0) {
    const nextLevel: Node[] = [];
    for (const node of queue) {
      const moves: number[] = [];
      semantics.forEachMove(node.state, (move) => {
        moves.push(move);
      });
      for (const move of moves) {
        const out = new Int32Array(system.size);
        const moveViolation = semantics.apply(node.state, move, out);
        if (moveViolation) return violation(moveViolation, node, move);
        const key = out.join(',');
        if (seen.has(key)) continue;
        const child: Node = { state: out, depth: node.depth + 1, parent: node, move };
        deepest = Math.max(deepest, child.depth);
        seen.set(key, child);
        options.onState?.(out);
        const v = semantics.brokenInvariant(out) ?? semantics.terminalViolation(out);
        if (v) return violation(v, child, null);
        if (seen.size >= maxStates) {
          return { verdict: 'incomplete', kind: null, violation: null, distinctStates: seen.size, depth: null, moves: null, deepest };
        }
        nextLevel.push(child);
      }
    }
    queue = nextLevel;
  }
  return { verdict: 'pass', kind: null, violation: null, distinctStates: seen.size, depth: null, moves: null, deepest };
}
