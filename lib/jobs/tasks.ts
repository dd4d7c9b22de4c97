/**
 * What the worker threads run: every request or job that replays or checks a
 * model goes through one of these, inside a thread whose heap and time are
 * bounded (lib/jobs/pool.ts). Input and output are plain JSON. No Node
 * import, so the same code could run anywhere lib/check runs; relative imports
 * only, so the worker's loader needs no path aliases.
 */
import { analyze, openStepApi, replayWindow, type TraceWindow } from '../check/replay';
import { checkTrace, verifyRun, type ReportedRun, type TraceCheck, type Verification, type VerifyBudget } from '../check/verify';
import type { ModelIssue } from '../model';
import { checkScenarioOnServer, type ServerCheck } from '../reviews/server-check';

interface ScenarioRef {
  document: unknown;
  scenario: string;
  options: { symmetry?: boolean; mergeLocalSteps?: boolean };
}

export type Task =
  | ({ kind: 'check-trace'; moves: number[]; violation: ReportedRun['violation'] } & ScenarioRef)
  | ({ kind: 'trace-window'; moves: number[]; from: number; count: number } & ScenarioRef)
  | { kind: 'verify'; document: unknown; run: ReportedRun; budget: VerifyBudget }
  /** The server's own check of one scenario with the default options (a review's verdicts). */
  | { kind: 'check-scenario'; document: unknown; scenario: string; budget: VerifyBudget };

export type TaskResult =
  | { kind: 'invalid-model'; issues: ModelIssue[] }
  | { kind: 'check-trace'; result: TraceCheck }
  | { kind: 'trace-window'; window: TraceWindow }
  | { kind: 'verify'; verification: Verification }
  | { kind: 'check-scenario'; check: ServerCheck };

export function runTask(task: Task): TaskResult {
  const analyzed = analyze(task.document);
  if (!analyzed.ok) return { kind: 'invalid-model', issues: analyzed.issues.slice(0, 20) };
  switch (task.kind) {
    case 'check-trace':
      return { kind: 'check-trace', result: checkTrace(openStepApi(analyzed.model, task.scenario, task.options), task) };
    case 'trace-window':
      return { kind: 'trace-window', window: replayWindow(openStepApi(analyzed.model, task.scenario, task.options), task.moves, task.from, task.count) };
    case 'verify':
      return { kind: 'verify', verification: verifyRun(analyzed.model, task.run, task.budget) };
    case 'check-scenario':
      return { kind: 'check-scenario', check: checkScenarioOnServer(analyzed.model, task.scenario, task.budget) };
  }
}
