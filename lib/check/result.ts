/** What a check returns: plain JSON shared by the worker, the server, storage and the CLI. */
import type { ViolationKind } from '../model/schema';

export type Verdict = 'pass' | 'violation' | 'incomplete';

/** What a check found wrong: the one shape the checker, replay, storage, the API and the CLI share. */
export interface Violation {
  kind: ViolationKind;
  message: string;
  /** Invariant or assertion name, when there is one. */
  name?: string;
  /** The process whose step caused it, when one did (liveness: the process that never ends, or one that starves). */
  process?: string;
  /**
   * Liveness violations (a lasso): index of the trace step where the cycle
   * begins. The steps from there to the end repeat for ever: the state after
   * the last step equals the state before step `cycleStart`.
   */
  cycleStart?: number;
}

/** A violation with its keys in one order and no undefined ones: what is stored and compared as JSON. */
export function toViolation(v: Violation): Violation;
export function toViolation(v: Violation | null): Violation | null;
export function toViolation(v: Violation | null): Violation | null {
  if (!v) return null;
  return {
    kind: v.kind,
    message: v.message,
    ...(v.name ? { name: v.name } : {}),
    ...(v.process ? { process: v.process } : {}),
    ...(v.cycleStart !== undefined ? { cycleStart: v.cycleStart } : {}),
  };
}

/** Why a run is incomplete: a limit, it was stopped, or (`simulation`) random simulation found nothing, which proves nothing. */
export const INCOMPLETE_REASONS = ['max-states', 'max-depth', 'time-limit', 'stopped', 'simulation'] as const;
export type IncompleteReason = (typeof INCOMPLETE_REASONS)[number];
/** The reasons an exhaustive search stops early. */
export type SearchIncompleteReason = Exclude<IncompleteReason, 'simulation'>;

/**
 * Distinct states a check explores at most when its options do not say:
 * room for the Spin benchmark's N=8 without reductions (20.3 M states, about
 * 21–24 bytes a state, so ≈ 0.5 GB). The server's re-check has its own,
 * smaller budget (lib/jobs/budget.ts), and the liveness graph its own byte
 * bound (LIVENESS_MAX_BYTES), whichever is hit first.
 */
export const DEFAULT_MAX_STATES = 25_000_000;

/** The bounds a check runs under; a run that reaches one is `incomplete`. */
export interface CheckLimits {
  /** Stop after this many distinct states (default DEFAULT_MAX_STATES). */
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
  /** Threads the search ended in, when more than the calling one took it over (level-search.ts). */
  threads?: number;
}

export interface InstanceView {
  name: string;
  type: string;
  state: string;
  stateKind: string;
  fields: Record<string, string | number | boolean>;
  /** Highest fencing token accepted, by lock name (only locks it accepted a token of). */
  fences?: Record<string, number>;
}

export interface LockView {
  lock: string;
  instance: string | null;
  /**
   * For a node- or process-scoped lock: the node (`api1`) or OS process
   * (`api1/main`) whose copy of the lock this is — each is a separate lock.
   * Absent for a cluster-wide lock.
   */
  domain?: string;
  holders: Array<{ process: string; mode: 'exclusive' | 'shared'; note?: 'crashed' }>;
  /** Processes that believe they hold it although their lease expired. */
  expired: string[];
}

export interface ProcessView {
  name: string;
  operation: string;
  /** Where it runs: the scenario's node and the OS process on it (absent in views stored before these were shown). */
  node?: string;
  osProcess?: string;
  status: 'dormant' | 'running' | 'done' | 'aborted' | 'crashed';
  /** Where it stands: the next step's label or path, and its pseudo-code. */
  at: { path: string; where: string; label?: string; text: string } | null;
  /** Whether its next step can run now. */
  enabled: boolean;
  locals: Record<string, string | number | boolean>;
  /** Locals no path to its position has read yet: their value in `locals` is only the slot's zero. */
  unread?: string[];
  /** Fencing tokens it holds (or believes it holds), by lock instance as named in `locks`: `L` or `L(share1)`. */
  tokens?: Record<string, number>;
}

export interface StateView {
  instances: InstanceView[];
  locks: LockView[];
  processes: ProcessView[];
  /** `heartbeatLoss`: absent in views stored before that fault existed. */
  faultsLeft: { crash: number; leaseExpiry: number; callFailure: number; heartbeatLoss?: number };
}

/** One thing a step did, as the trace shows it. */
export interface TraceEvent {
  kind: 'read' | 'branch' | 'write' | 'cas' | 'acquire' | 'release' | 'call' | 'fault' | 'end' | 'rejected' | 'check';
  text: string;
}

export type MoveKind = 'step' | 'call-fails' | 'crash' | 'lease-expires' | 'lease-released' | 'heartbeat-lapses';

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

export interface CheckResult {
  scenario: string;
  verdict: Verdict;
  violation: Violation | null;
  incompleteReason?: IncompleteReason;
  trace: Trace | null;
  stats: CheckStats;
  /** Set for random simulation: how many schedules were run (stats.transitions counts their steps). */
  simulation?: { runs: number; seed: number };
  /** Whether the verdict meets the scenario's `expect` (null: no expectation). */
  meetsExpectation: boolean | null;
  expected: { verdict: 'pass' } | { verdict: 'violation'; kind: ViolationKind; name?: string } | null;
  options: { symmetry: boolean; mergeLocalSteps: boolean } & CheckLimits;
}
