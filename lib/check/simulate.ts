/**
 * Random simulation for spaces too large to exhaust (like P's and FizzBee's
 * random walks): many random schedules from a seed, reporting the shortest
 * violation seen. A walk that finds nothing proves nothing, so the verdict is
 * then `incomplete`, never `pass`.
 */
import type { CheckStats } from './result';
import type { Violation } from './result';
import { Semantics } from './semantics';
import type { System } from './system';

export interface SimulateOptions {
  runs?: number;
  seed?: number;
  /** Longest schedule tried (default 1,000 steps). */
  maxDepth?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { runs: number; steps: number; elapsedMs: number; shortest: number | null }) => void;
  now?: () => number;
}

export interface SimulateOutcome {
  verdict: 'violation' | 'incomplete';
  violation: Violation | null;
  /** Move ordinals of the shortest violating schedule (as the explorer records them). */
  path: number[] | null;
  runs: number;
  stats: CheckStats;
}

/** mulberry32: small, fast, and the same sequence in every JavaScript engine. */
export function randomGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulate(system: System, options: SimulateOptions = {}): SimulateOutcome {
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = now();
  const runs = options.runs ?? 1000;
  const maxDepth = options.maxDepth ?? 1000;
  const random = randomGenerator(options.seed ?? 1);
  const semantics = new Semantics(system);
  const moves: number[] = [];
  let state = new Int32Array(system.size);
  let next = new Int32Array(system.size);
  let best: { violation: Violation; path: number[] } | null = null;
  let steps = 0;
  let done = 0;
  let lastReport = started;

  for (; done < runs; done++) {
    if (options.signal?.aborted) break;
    const t = now();
    if (options.onProgress && t - lastReport >= 200) {
      lastReport = t;
      options.onProgress({ runs: done, steps, elapsedMs: t - started, shortest: best?.path.length ?? null });
    }
    const init = semantics.initial();
    if (init.violation) {
      best = { violation: init.violation, path: [] };
      break;
    }
    state.set(init.state);
    const path: number[] = [];
    const limit = best ? Math.min(maxDepth, best.path.length - 1) : maxDepth;
    let violation = semantics.brokenInvariant(state) ?? semantics.terminalViolation(state);
    while (!violation && path.length < limit) {
      moves.length = 0;
      semantics.forEachMove(state, (move) => void moves.push(move), true);
      if (moves.length === 0) break;
      const ordinal = Math.floor(random() * moves.length);
      path.push(ordinal);
      steps++;
      violation = semantics.apply(state, moves[ordinal], next);
      [state, next] = [next, state];
      if (!violation) violation = semantics.brokenInvariant(state) ?? semantics.terminalViolation(state);
    }
    if (violation && (!best || path.length < best.path.length)) best = { violation, path };
  }
  const elapsedMs = Math.round((now() - started) * 10) / 10;
  return {
    verdict: best ? 'violation' : 'incomplete',
    violation: best?.violation ?? null,
    path: best?.path ?? null,
    runs: done,
    stats: {
      distinctStates: 0,
      transitions: steps,
      depth: best?.path.length ?? 0,
      queue: 0,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((steps / elapsedMs) * 1000) : 0,
      bytes: 0,
      bytesPerState: 0,
    },
  };
}
