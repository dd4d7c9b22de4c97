/**
 * Replaying move codes through lib/check's step API. The trace view, the
 * manual simulator, the share page and the runs API all rebuild states this
 * way, so they show exactly the checker's semantics (no second implementation).
 * Pure TypeScript: runs in the browser, in a worker and on the server.
 */
import { analyzeModel, type AnalyzedModel, type ModelIssue } from '@/lib/model';
import { compileSystem, StepApi, type StateView, type TraceStep, type ViolationReport } from '@/lib/check';

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
  initialViolation: ViolationReport | null;
}

export function toReport(v: { kind: ViolationReport['kind']; message: string; name?: string; process?: string } | null): ViolationReport | null {
  if (!v) return null;
  return { kind: v.kind, message: v.message, ...(v.name ? { name: v.name } : {}), ...(v.process ? { process: v.process } : {}) };
}

export function analyze(document: unknown): { ok: true; model: AnalyzedModel } | { ok: false; issues: ModelIssue[] } {
  const analyzed = analyzeModel(document);
  return analyzed.ok ? { ok: true, model: analyzed.value } : { ok: false, issues: analyzed.issues };
}

export function openSession(model: AnalyzedModel, scenario: string, options: ReplayOptions = {}): Session {
  const api = new StepApi(compileSystem(model, scenario, { symmetry: options.symmetry !== false, mergeLocalSteps: options.mergeLocalSteps !== false }));
  const start = api.initial();
  const violation = start.violation ?? api.semantics.brokenInvariant(start.state) ?? null;
  return { api, initial: start.state, initialView: api.view(start.state), initialViolation: toReport(violation) };
}

export interface Replayed {
  /** states[0] is the initial state; states[k] the state after k moves. */
  states: Int32Array[];
  steps: TraceStep[];
  /** The violation each step caused (null: none); index k-1 for step k. */
  violations: Array<ViolationReport | null>;
  /** Moves that were not enabled where they were taken: the replay stops before the first one. */
  rejectedAt: number | null;
}

/**
 * Takes `moves` one by one from the initial state. A move that is not enabled
 * where it is taken stops the replay (`rejectedAt` says which), so a trace
 * from another version of the model never produces a made-up state.
 */
export function replayMoves(session: Session, moves: readonly number[]): Replayed {
  const states = [session.initial];
  const steps: TraceStep[] = [];
  const violations: Array<ViolationReport | null> = [];
  let state = session.initial;
  for (let i = 0; i < moves.length; i++) {
    const enabled = session.api.moves(state).some((m) => m.move === moves[i]);
    if (!enabled) return { states, steps, violations, rejectedAt: i };
    const r = session.api.step(state, moves[i]);
    state = r.state;
    states.push(state);
    steps.push(r.step);
    violations.push(toReport(r.violation));
  }
  return { states, steps, violations, rejectedAt: null };
}
