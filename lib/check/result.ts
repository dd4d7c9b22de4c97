/** What a check returns: plain JSON shared by the worker, the server, storage and the CLI. */
import type { ViolationKind } from '../model/schema';
import type { TraceEvent } from './semantics';

export type Verdict = 'pass' | 'violation' | 'incomplete';

export interface CheckLimits {
  /** Stop after this many distinct states (default 5,000,000). */
  maxStates?: number;
  /** Do not explore beyond this many steps from the initial state. */
  maxDepth?: number;
  /** Stop after this many milliseconds. */
  timeLimitMs?: number;
}

export interface CheckStats {
  distinctStates: number;
  transitions: number;
  depth: number;
  queue: number;
  elapsedMs: number;
  statesPerSecond: number;
  /** Bytes held by the visited set, parent links and the peak queue. */
  bytes: number;
  bytesPerState: number;
}

export interface InstanceView {
  name: string;
  type: string;
  state: string;
  stateKind: string;
  fields: Record<string, string | number | boolean>;
}

export interface LockView {
  lock: string;
  instance: string | null;
  holders: Array<{ process: string; mode: 'exclusive' | 'shared'; note?: 'crashed' }>;
  /** Processes that believe they hold it although their lease expired. */
  expired: string[];
}

export interface ProcessView {
  name: string;
  operation: string;
  status: 'dormant' | 'running' | 'done' | 'aborted' | 'crashed';
  /** Where it stands: the next step's label or path, and its pseudo-code. */
  at: { path: string; where: string; label?: string; text: string } | null;
  /** Whether its next step can run now. */
  enabled: boolean;
  locals: Record<string, string | number | boolean>;
}

export interface StateView {
  instances: InstanceView[];
  locks: LockView[];
  processes: ProcessView[];
  faultsLeft: { crash: number; leaseExpiry: number; callFailure: number };
}

export type MoveKind = 'step' | 'call-fails' | 'crash' | 'lease-expires' | 'lease-released';

export interface TraceStep {
  /** The move as the step API encodes it (replayable). */
  move: number;
  kind: MoveKind;
  process: string;
  /** The steps it ran: the visible one and any local steps merged after it. */
  steps: Array<{ path: string; where: string; label?: string; text: string }>;
  events: TraceEvent[];
  state: StateView;
}

export interface Trace {
  initial: StateView;
  steps: TraceStep[];
}

export interface ViolationReport {
  kind: ViolationKind;
  message: string;
  name?: string;
  process?: string;
}

export interface CheckResult {
  scenario: string;
  verdict: Verdict;
  violation: ViolationReport | null;
  /** Why a run is incomplete: a limit, or it was stopped. */
  /** `simulation`: random simulation found no violation, which proves nothing. */
  incompleteReason?: 'max-states' | 'max-depth' | 'time-limit' | 'stopped' | 'simulation';
  trace: Trace | null;
  stats: CheckStats;
  /** Set for random simulation: how many schedules were run (stats.transitions counts their steps). */
  simulation?: { runs: number; seed: number };
  /** Whether the verdict meets the scenario's `expect` (null: no expectation). */
  meetsExpectation: boolean | null;
  expected: { verdict: 'pass' } | { verdict: 'violation'; kind: ViolationKind; name?: string } | null;
  options: { symmetry: boolean; mergeLocalSteps: boolean } & CheckLimits;
}
