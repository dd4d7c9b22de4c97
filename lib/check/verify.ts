/**
 * The server's side of "the browser checks; the server confirms". A run the
 * browser reports (verdict, statistics and, for a violation, its trace as move
 * codes) is re-checked here under a budget:
 *
 * - a violation by replaying its moves on packed states (bounded by the
 *   trace cap below, constant memory);
 * - a pass or an incomplete by running the same check with the same options
 *   (exhaustive: the explorer is deterministic, so the state count must match;
 *   random: the same seed gives the same schedules). A scenario with a
 *   liveness check gets its liveness search too, as in the browser: a
 *   safety-only re-check would confirm a pass the liveness search refutes.
 *
 * The outcome is `verified`, `refuted` (with the server's own result and
 * trace) or `too-large` (the budget ran out first: nothing is claimed either
 * way, and the figure says how far the server got). Pure: the server runs it
 * in a worker thread that also bounds memory and wall time.
 */
import type { AnalyzedModel } from '../model';
import { explore } from './explore';
import { movesOfPath, openStepApi, replayStates } from './replay';
import { checkLasso } from './liveness-verify';
import { afterSafety } from './liveness';
import { StepApi } from './step-api';
import { DEFAULT_MAX_STATES, toViolation, type CheckLimits, type IncompleteReason, type Verdict, type Violation } from './result';
import { simulate } from './simulate';

/** No stored trace is longer than this, whatever the scenario's options say. */
export const MAX_TRACE_MOVES = 10_000;

export interface ReportedRun {
  scenario: string;
  mode: 'exhaustive' | 'random';
  options: CheckLimits & {
    symmetry: boolean;
    mergeLocalSteps: boolean;
    runs?: number;
    seed?: number;
  };
  verdict: Verdict;
  incompleteReason?: IncompleteReason;
  violation: Violation | null;
  stats: { distinctStates: number; transitions: number; depth: number };
  moves: number[];
}

export interface VerifyBudget {
  /** Distinct states the server explores at most (exhaustive checks). */
  maxStates: number;
  /**
   * Bytes the explorer's typed arrays may take (they live outside the V8 heap
   * the worker's resourceLimits bound): caps the states by the state's size.
   */
  maxBytes: number;
  /** Milliseconds of checking at most (the worker running it is also killed a little later). */
  timeLimitMs: number;
}

/** What the server found when it ran the check itself. */
export interface ServerResult {
  verdict: Verdict;
  incompleteReason?: IncompleteReason;
  violation: Violation | null;
  stats: { distinctStates: number; transitions: number; depth: number; elapsedMs: number };
  /** Its trace, as move codes (a violation only). */
  moves: number[];
}

export interface Verification {
  status: 'verified' | 'refuted' | 'too-large';
  /** One sentence a reviewer reads: what the server did and found. */
  reason: string;
  /** The server's own result when it ran the check (absent when replaying the trace settled it). */
  server: ServerResult | null;
  budget: VerifyBudget;
}

/**
 * What replaying one move costs grows with the scenario (every process's
 * moves are listed, every instance's invariants evaluated): a trace may cost
 * at most this many move × (processes + instances) units, about a second of
 * replay on this server, whatever its length.
 */
export const MAX_REPLAY_UNITS = 2_000_000;

/** Processes and instances of a scenario as written in the model source (before validation: a cheap, safe count). */
export function scenarioSize(source: unknown, scenario: string): number | null {
  const scenarios = (source as { scenarios?: unknown })?.scenarios;
  if (!Array.isArray(scenarios)) return null;
  const s = scenarios.find((x) => (x as { name?: unknown })?.name === scenario) as { instances?: unknown[]; processes?: Array<{ count?: unknown }> } | undefined;
  if (!s) return null;
  const processes = Array.isArray(s.processes) ? s.processes.reduce((n, p) => n + (Number.isInteger(p?.count) && (p.count as number) > 0 ? (p.count as number) : 1), 0) : 0;
  return processes + (Array.isArray(s.instances) ? s.instances.length : 0);
}

/** The longest trace a run of this scenario with these options can have. */
export function traceLimit(options: { maxDepth?: number }, size = 1): number {
  return Math.min(options.maxDepth ?? Infinity, MAX_TRACE_MOVES, Math.floor(MAX_REPLAY_UNITS / Math.max(1, size)));
}

/** Why a trace of `moves` moves is too long for this scenario, or null when it is not. */
export function traceTooLong(moves: number, options: { maxDepth?: number }, size: number): string | null {
  const max = traceLimit(options, size);
  if (moves <= max) return null;
  const n = (x: number) => x.toLocaleString('en');
  const why =
    options.maxDepth !== undefined && options.maxDepth === max
      ? `its maxDepth option is ${n(options.maxDepth)}`
      : max === MAX_TRACE_MOVES
        ? `no stored trace is longer than ${n(MAX_TRACE_MOVES)} moves`
        : `a scenario of ${n(size)} processes and instances may replay at most ${n(MAX_REPLAY_UNITS)} process-moves`;
  return `the trace has ${n(moves)} moves; a run of this check has at most ${n(max)} (${why})`;
}

const describe = (v: { kind: string; name?: string } | null) => (v ? `${v.kind}${v.name ? ` ${v.name}` : ''}` : 'no violation');
const sameViolation = (claimed: Violation, reached: Violation | null) =>
  !!reached && reached.kind === claimed.kind && (claimed.name === undefined || reached.name === claimed.name);
const num = (n: number) => Math.round(n).toLocaleString('en');

export type TraceCheck = { ok: true; violation: Violation | null } | { ok: false; path: string; message: string };

/**
 * Whether a reported violation's moves replay on this model to the violation
 * it claims (packed states only: cost is moves × processes, memory constant).
 */
export function checkTrace(api: StepApi, run: Pick<ReportedRun, 'moves' | 'violation'>): TraceCheck {
  // A liveness lasso ends in no safety violation: its cycle is checked instead (liveness-verify.ts).
  if (run.violation?.cycleStart !== undefined) return checkLasso(api, run.moves, run.violation);
  const replay = replayStates(api, run.moves);
  if (replay.rejectedAt !== null) return { ok: false, path: `moves[${replay.rejectedAt}]`, message: 'this move is not enabled here' };
  if (!run.violation || !sameViolation(run.violation, replay.violation)) {
    return { ok: false, path: 'moves', message: `it ends in ${describe(replay.violation)}` };
  }
  return { ok: true, violation: replay.violation };
}

/** Re-checks a reported run on the server's terms. */
export function verifyRun(model: AnalyzedModel, run: ReportedRun, budget: VerifyBudget): Verification {
  const api = openStepApi(model, run.scenario, run.options);
  let replayProblem: string | null = null;
  if (run.verdict === 'violation') {
    const size = api.system.processes.length + api.system.instances.length;
    if (run.moves.length > traceLimit(run.options, size)) {
      replayProblem = `its trace has ${num(run.moves.length)} moves, more than the ${num(traceLimit(run.options, size))} a run with these options can have`;
    } else {
      const trace = checkTrace(api, run);
      if (trace.ok) {
        return { status: 'verified', reason: `the server replayed its ${num(run.moves.length)}-step trace to the same ${describe(trace.violation)}`, server: null, budget };
      }
      replayProblem = `its trace does not replay to ${describe(run.violation)} (${trace.path}: ${trace.message})`;
    }
  }

  const { server, budgetHit } = run.mode === 'random' ? simulateAgain(api, run, budget) : exploreUnderBudget(api, run.options, statesToExplore(run), budget);
  const claimed = `${run.verdict}${run.verdict === 'violation' ? ` (${describe(run.violation)})` : run.incompleteReason ? ` (${run.incompleteReason})` : ''}`;
  const found = `${server.verdict}${server.verdict === 'violation' ? ` (${describe(server.violation)})` : server.incompleteReason ? ` (${server.incompleteReason})` : ''}`;
  if (replayProblem) return { status: 'refuted', reason: `${replayProblem}; the server's own check found ${found}`, server, budget };
  if (budgetHit) return { status: 'too-large', reason: budgetHit, server, budget };

  if (server.verdict !== run.verdict) return { status: 'refuted', reason: `the run reported ${claimed}; the server found ${found}`, server, budget };
  if (run.mode === 'exhaustive' && run.verdict === 'incomplete') {
    // Stopped by time (or by hand) is replayed as "the same number of states": the server's max-states is that.
    const expectedReason = run.incompleteReason === 'time-limit' || run.incompleteReason === 'stopped' ? 'max-states' : run.incompleteReason;
    if (server.incompleteReason !== expectedReason) return { status: 'refuted', reason: `the run reported ${claimed}; the server found ${found}`, server, budget };
  }
  if (run.mode === 'exhaustive' && server.stats.distinctStates !== run.stats.distinctStates) {
    return {
      status: 'refuted',
      reason: `the run reported ${num(run.stats.distinctStates)} distinct states; the same check on the server explores ${num(server.stats.distinctStates)}`,
      server,
      budget,
    };
  }
  const what = run.mode === 'random' ? `${num(run.options.runs ?? 1000)} random schedules (seed ${run.options.seed ?? 1})` : `${num(server.stats.distinctStates)} distinct states`;
  return { status: 'verified', reason: `the server ran the same check and found ${found} over ${what}`, server, budget };
}

/** How many states re-checking an exhaustive run explores: its own bound, or the prefix of the BFS order it got through. */
function statesToExplore(run: ReportedRun): number {
  const own = run.options.maxStates ?? DEFAULT_MAX_STATES;
  // A run stopped by time or by hand explored a prefix of the BFS order: the server explores the same prefix.
  const prefix = run.verdict === 'incomplete' && (run.incompleteReason === 'time-limit' || run.incompleteReason === 'stopped');
  return prefix ? Math.max(1, Math.min(own, run.stats.distinctStates)) : own;
}

/**
 * The server's own exhaustive check of one scenario under the budget (what a
 * review's verdict diff shows): its result, and why the budget ran out if it did.
 */
export function checkUnderBudget(model: AnalyzedModel, scenario: string, options: ReportedRun['options'], budget: VerifyBudget): { server: ServerResult; budgetHit: string | null } {
  const api = openStepApi(model, scenario, options);
  return exploreUnderBudget(api, options, options.maxStates ?? DEFAULT_MAX_STATES, budget);
}

function exploreUnderBudget(api: StepApi, options: ReportedRun['options'], wanted: number, budget: VerifyBudget): { server: ServerResult; budgetHit: string | null } {
  // Per state: fingerprint, parent link, move ordinal and, while queued, the state itself (an upper bound).
  const bytesPerState = 16 + 4 * api.system.size;
  const affordable = Math.max(1, Math.min(budget.maxStates, Math.floor(budget.maxBytes / bytesPerState)));
  const maxStates = Math.min(wanted, affordable);
  const limits = { maxStates, maxDepth: options.maxDepth, timeLimitMs: budget.timeLimitMs };
  const safety = explore(api.system, limits);
  // The same second search the browser ran (check.ts), under what is left of the budget.
  const { outcome, system, liveness } = afterSafety(api.system, safety, { ...limits, maxBytes: budget.maxBytes, mergeLocalSteps: options.mergeLocalSteps !== false });
  const memoryCapped = liveness?.incompleteReason === 'max-states' && liveness.stats.distinctStates < maxStates;
  // A liveness path is on the system without symmetry: its moves are read there.
  const server = serverResult(system === api.system ? api : new StepApi(system), outcome);
  let budgetHit: string | null = null;
  if (outcome.incompleteReason === 'time-limit') budgetHit = `the server's budget of ${num(budget.timeLimitMs / 1000)} s ran out after ${num(outcome.stats.distinctStates)} distinct states`;
  else if (outcome.incompleteReason === 'max-states' && (maxStates < wanted || memoryCapped)) {
    budgetHit = `the check has more than the ${num(memoryCapped ? outcome.stats.distinctStates : affordable)} distinct states the server's budget allows (${num(budget.maxStates)} states, ${num(budget.maxBytes / 2 ** 20)} MB)`;
  }
  return { server, budgetHit };
}

function simulateAgain(api: StepApi, run: ReportedRun, budget: VerifyBudget): { server: ServerResult; budgetHit: string | null } {
  const started = globalThis.performance?.now() ?? Date.now();
  const deadline = started + budget.timeLimitMs;
  // A signal the simulation polls between schedules: aborted once the budget's time is spent.
  const signal = { get aborted() { return (globalThis.performance?.now() ?? Date.now()) > deadline; } } as AbortSignal;
  const runs = run.options.runs ?? 1000;
  const outcome = simulate(api.system, { runs, seed: run.options.seed ?? 1, maxDepth: run.options.maxDepth ?? 1000, signal });
  const finished = outcome.runs >= runs || outcome.verdict === 'violation';
  const server: ServerResult = {
    ...serverResult(api, { ...outcome, incompleteReason: outcome.verdict === 'incomplete' ? 'simulation' : undefined }),
  };
  const budgetHit = finished ? null : `the server's budget of ${num(budget.timeLimitMs / 1000)} s ran out after ${num(outcome.runs)} of ${num(runs)} schedules`;
  return { server, budgetHit };
}

function serverResult(
  api: StepApi,
  outcome: { verdict: Verdict; incompleteReason?: IncompleteReason; violation: Violation | null; path: number[] | null; stats: ServerResult['stats'] },
): ServerResult {
  const moves = outcome.verdict === 'violation' && outcome.path ? movesOfPath(api, outcome.path.slice(0, MAX_TRACE_MOVES)) : [];
  return {
    verdict: outcome.verdict,
    ...(outcome.incompleteReason ? { incompleteReason: outcome.incompleteReason } : {}),
    violation: toViolation(outcome.violation),
    stats: { distinctStates: outcome.stats.distinctStates, transitions: outcome.stats.transitions, depth: outcome.stats.depth, elapsedMs: outcome.stats.elapsedMs },
    moves,
  };
}
