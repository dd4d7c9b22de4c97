/**
 * Replaying move codes through the step API. The trace view, the manual
 * simulator, the share page and the server's run checks all rebuild states
 * this way, so they show exactly the checker's semantics (no second
 * implementation).
 *
 * Two speeds: `replayMoves` builds a full state view per step (for a person
 * to read, so only for what is on screen), while `replayStates` and
 * `replayWindow` step the packed state vectors alone and build views only for
 * the steps asked for — what a server can afford on a trace of any allowed
 * length.
 */
import { analyzeModel, type AnalyzedModel, type ModelIssue } from '../model';
import { toViolation, type StateView, type TraceStep, type Violation } from './result';
import { StepApi } from './step-api';
import { compileSystem } from './system';

export { movesOfPath } from './trace';

export interface ReplayOptions {
  symmetry?: boolean;
  mergeLocalSteps?: boolean;
}

/** A scenario ready to step: its step API and the initial state. */
export interface Session {
  api: StepApi;
  initial: Int32Array;
  initialView: StateView;
  /** A violation the initial state already has (rare: an invariant broken at the start). */
  initialViolation: Violation | null;
}


export function analyze(source: unknown): { ok: true; model: AnalyzedModel } | { ok: false; issues: ModelIssue[] } {
  const analyzed = analyzeModel(source);
  return analyzed.ok ? { ok: true, model: analyzed.value } : { ok: false, issues: analyzed.issues };
}

/** The step API of one scenario, without building any view (cheap to open). */
export function openStepApi(model: AnalyzedModel, scenario: string, options: ReplayOptions = {}): StepApi {
  return new StepApi(compileSystem(model, scenario, { symmetry: options.symmetry !== false, mergeLocalSteps: options.mergeLocalSteps !== false }));
}

export function openSession(model: AnalyzedModel, scenario: string, options: ReplayOptions = {}): Session {
  const api = openStepApi(model, scenario, options);
  const start = api.initial();
  const violation = start.violation ?? api.semantics.brokenInvariant(start.state) ?? null;
  return { api, initial: start.state, initialView: api.view(start.state), initialViolation: toViolation(violation) };
}

export interface Replayed {
  /** states[0] is the initial state; states[k] the state after k moves. */
  states: Int32Array[];
  steps: TraceStep[];
  /** The violation each step caused (null: none); index k-1 for step k. */
  violations: Array<Violation | null>;
  /** Moves that were not enabled where they were taken: the replay stops before the first one. */
  rejectedAt: number | null;
}

/**
 * Takes `moves` one by one from the initial state, with a full view per step.
 * A move that is not enabled where it is taken stops the replay (`rejectedAt`
 * says which), so a trace from another version of the model never produces a
 * made-up state.
 */
export function replayMoves(session: Session, moves: readonly number[]): Replayed {
  const states = [session.initial];
  const steps: TraceStep[] = [];
  const violations: Array<Violation | null> = [];
  let state = session.initial;
  for (let i = 0; i < moves.length; i++) {
    if (!isEnabled(session.api, state, moves[i])) return { states, steps, violations, rejectedAt: i };
    const r = session.api.step(state, moves[i]);
    state = r.state;
    states.push(state);
    steps.push(r.step);
    violations.push(toViolation(r.violation));
  }
  return { states, steps, violations, rejectedAt: null };
}

/** Whether `move` is enabled in `state` (stops at the first match, builds nothing). */
export function isEnabled(api: StepApi, state: Int32Array, move: number): boolean {
  let found = false;
  api.semantics.forEachMove(state, (m) => (found = m === move));
  return found;
}

/** One move on packed states: the successor and the violation it causes (as `StepApi.step` decides it). */
function advance(api: StepApi, state: Int32Array, move: number, out: Int32Array): Violation | null {
  const s = api.semantics;
  const violation = s.apply(state, move, out) ?? s.brokenInvariant(out) ?? s.terminalViolation(out);
  return toViolation(violation);
}

export interface StateReplay {
  /** The state after the last move taken. */
  state: Int32Array;
  /** How many moves were taken. */
  taken: number;
  /** The violation the initial state has (no moves) or the last move taken caused. */
  violation: Violation | null;
  rejectedAt: number | null;
}

/**
 * Takes `moves` on packed states only (no views, constant memory): what a
 * server needs to check that a trace replays and where it ends. `limit` stops
 * after that many moves (for paging).
 */
export function replayStates(api: StepApi, moves: readonly number[], limit = moves.length): StateReplay {
  const start = api.initial();
  let state: Int32Array = start.state;
  let next: Int32Array = new Int32Array(state.length);
  let violation = toViolation(start.violation ?? api.semantics.brokenInvariant(state) ?? (moves.length === 0 ? api.semantics.terminalViolation(state) : null));
  const n = Math.min(limit, moves.length);
  for (let i = 0; i < n; i++) {
    if (!isEnabled(api, state, moves[i])) return { state, taken: i, violation, rejectedAt: i };
    violation = advance(api, state, moves[i], next);
    [state, next] = [next, state];
  }
  return { state, taken: n, violation, rejectedAt: null };
}

export interface TraceWindow {
  /** Index of the first step in `steps` (1-based step numbers start at from + 1). */
  from: number;
  /** Length of the whole trace. */
  total: number;
  /** The state before the window's first step (the initial state when from = 0). */
  before: StateView;
  steps: TraceStep[];
  /** The violation the whole trace ends in (null: none, or not reached in the window). */
  violation: Violation | null;
  rejectedAt: number | null;
}

/**
 * Steps `from .. from+count-1` of a trace with full views, reached by stepping
 * packed states up to `from`: a page of a long trace costs its own views plus
 * a cheap walk, never a view per step of the whole trace.
 */
export function replayWindow(api: StepApi, moves: readonly number[], from: number, count: number): TraceWindow {
  const start = Math.max(0, Math.min(from, moves.length));
  const prefix = replayStates(api, moves, start);
  const before = api.view(prefix.state);
  if (prefix.rejectedAt !== null) return { from: start, total: moves.length, before, steps: [], violation: null, rejectedAt: prefix.rejectedAt };
  const steps: TraceStep[] = [];
  let state = prefix.state;
  let violation = moves.length === 0 ? prefix.violation : null;
  const end = Math.min(moves.length, start + Math.max(0, count));
  for (let i = start; i < end; i++) {
    if (!isEnabled(api, state, moves[i])) return { from: start, total: moves.length, before, steps, violation: null, rejectedAt: i };
    const r = api.step(state, moves[i]);
    steps.push(r.step);
    state = r.state;
    if (i === moves.length - 1) violation = toViolation(r.violation);
  }
  return { from: start, total: moves.length, before, steps, violation, rejectedAt: null };
}

