/**
 * One check job as the Web Worker runs it: analyze the document, run one
 * scenario exhaustively (BFS) or by random simulation, and report through
 * `post` with the worker's message union `progress | complete | error`.
 * Pure: the worker file only wires `post` to `postMessage`, so this is unit
 * tested without a worker.
 */
import { checkScenario, simulateScenario, type CheckLimits, type CheckResult } from '@/lib/check';
import type { HandOver } from '@/lib/check/level-runner';
import { analyze } from '@/lib/check/replay';

export type CheckMode = 'exhaustive' | 'random';

/** The checker's limits (lib/check/result.ts), as the worker receives them. */
export type CheckLimitsInput = CheckLimits;

export interface CheckRequest {
  type: 'check';
  /** Which job this is; every message about it carries the same id. */
  job: number;
  document: unknown;
  scenario: string;
  mode: CheckMode;
  limits: CheckLimitsInput;
  /** Random simulation: how many schedules, from which seed. */
  runs?: number;
  seed?: number;
  symmetry?: boolean;
  mergeLocalSteps?: boolean;
  /** Threads an exhaustive check goes on in, from its first 20,000 states (default: one per core, once it has run a second). */
  threads?: number;
}

/** The most threads a check is split into (components/check/check.worker.ts). */
export const MAX_THREADS = 16;

/**
 * When an exhaustive check's threads take over (level-runner.ts). Chosen by
 * the user, from the 20,000th state, as `lockstep check --workers K`: at N=7
 * of the Spin benchmark on a 2-core machine, two threads took 2.81 s that
 * way, and 3.03–3.34 s taking over after the first second, against one
 * thread's 3.33 s (docs/checker.md). Left to choose, after a second, so that
 * the many short checks never start threads. The checker's worker learns
 * that its workers are ready from their messages: a browser starts the
 * workers a worker creates only between its tasks.
 */
export const handOverFor = (request: Pick<CheckRequest, 'threads'>): HandOver => ({ when: request.threads === undefined ? 'auto' : 'asked', readiness: 'messages' });

/** Live figures, at least 4 times a second while a job runs. */
export interface ProgressFigures {
  distinctStates: number;
  transitions: number;
  statesPerSecond: number;
  depth: number;
  queue: number;
  elapsedMs: number;
  /** Random simulation: schedules run so far, and the shortest violation seen. */
  runs?: number;
  shortest?: number | null;
  /** Threads an exhaustive search has been handed to (level-search.ts). */
  threads?: number;
}

export type WorkerMessage =
  | { type: 'progress'; job: number; scenario: string; progress: ProgressFigures }
  | { type: 'complete'; job: number; scenario: string; result: CheckResult }
  | { type: 'error'; job: number; scenario: string; message: string };

/** Progress every 100 ms: comfortably above the 4 reports a second the UI promises. */
export const PROGRESS_EVERY_MS = 100;

export function runCheckJob(request: CheckRequest, post: (message: WorkerMessage) => void, signal?: AbortSignal): void {
  const { job, scenario } = request;
  try {
    const analyzed = analyze(request.document);
    if (!analyzed.ok) {
      const first = analyzed.issues[0];
      post({ type: 'error', job, scenario, message: `the model is invalid: ${first.path || '(document)'}: ${first.message}` });
      return;
    }
    if (!analyzed.model.scenarios.some((s) => s.source.name === scenario)) {
      post({ type: 'error', job, scenario, message: `no scenario named '${scenario}'` });
      return;
    }
    const reductions = { symmetry: request.symmetry !== false, mergeLocalSteps: request.mergeLocalSteps !== false };
    let result: CheckResult;
    if (request.mode === 'random') {
      const maxDepth = request.limits.maxDepth ?? 1000;
      result = simulateScenario(analyzed.model, scenario, {
        ...reductions,
        runs: request.runs ?? 1000,
        seed: request.seed ?? 1,
        maxDepth,
        signal,
        onProgress: (p) =>
          post({
            type: 'progress',
            job,
            scenario,
            progress: {
              distinctStates: p.steps,
              transitions: p.steps,
              statesPerSecond: p.elapsedMs > 0 ? Math.round((p.steps / p.elapsedMs) * 1000) : 0,
              depth: p.shortest ?? 0,
              queue: 0,
              elapsedMs: Math.round(p.elapsedMs),
              runs: p.runs,
              shortest: p.shortest,
            },
          }),
      });
    } else {
      result = checkScenario(analyzed.model, scenario, {
        ...reductions,
        ...request.limits,
        signal,
        progressEveryMs: PROGRESS_EVERY_MS,
        onProgress: (p) => post({ type: 'progress', job, scenario, progress: { ...p } }),
      });
    }
    post({ type: 'complete', job, scenario, result });
  } catch (error) {
    post({ type: 'error', job, scenario, message: (error as Error).message || String(error) });
  }
}

/**
 * The result the page records when the user stops a job: the worker is
 * terminated at once, so the last progress figures are all there is.
 */
export function stoppedResult(request: Pick<CheckRequest, 'scenario' | 'mode' | 'limits' | 'symmetry' | 'mergeLocalSteps' | 'runs' | 'seed'>, last: ProgressFigures | null, elapsedMs: number, expected: CheckResult['expected'] = null): CheckResult {
  const p = last ?? { distinctStates: 0, transitions: 0, statesPerSecond: 0, depth: 0, queue: 0, elapsedMs };
  return {
    scenario: request.scenario,
    verdict: 'incomplete',
    violation: null,
    incompleteReason: 'stopped',
    trace: null,
    stats: {
      distinctStates: p.distinctStates,
      transitions: p.transitions,
      depth: p.depth,
      queue: p.queue,
      elapsedMs: Math.round(elapsedMs),
      statesPerSecond: p.statesPerSecond,
      bytes: 0,
      bytesPerState: 0,
      ...(p.threads ? { threads: p.threads } : {}),
    },
    ...(request.mode === 'random' ? { simulation: { runs: p.runs ?? 0, seed: request.seed ?? 1 } } : {}),
    // A stopped run proves nothing, so it never meets an expectation.
    meetsExpectation: expected ? false : null,
    expected,
    options: {
      symmetry: request.symmetry !== false,
      mergeLocalSteps: request.mergeLocalSteps !== false,
      ...request.limits,
    },
  };
}
