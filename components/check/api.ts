/** Browser-side calls that store a run and make a share link. */
import type { CheckResult } from '@/lib/check';
import type { CheckRequest } from '@/lib/browser/check-job';
import { callApi, type ApiResult } from '@/components/ui/api-client';
import type { PublicVerification, StoredRunSummary } from '@/lib/transport/runs';

export interface SavedRun {
  id: string;
  versionNumber: number;
  scenario: string;
  verdict: string;
  createdAt: string;
  steps: number;
  /** Whether the server has confirmed it yet: reported, verified, refuted or too-large. */
  verification: PublicVerification;
}

/** The body of POST /api/models/:id/versions/:n/runs for a result the worker computed. */
export function runBody(request: Pick<CheckRequest, 'scenario' | 'mode' | 'limits' | 'runs' | 'seed'>, result: CheckResult) {
  const s = result.stats;
  return {
    scenario: result.scenario,
    mode: request.mode,
    options: {
      symmetry: result.options.symmetry,
      mergeLocalSteps: result.options.mergeLocalSteps,
      ...(request.limits.maxStates ? { maxStates: request.limits.maxStates } : {}),
      ...(request.limits.maxDepth ? { maxDepth: request.limits.maxDepth } : {}),
      ...(request.limits.timeLimitMs ? { timeLimitMs: request.limits.timeLimitMs } : {}),
      ...(request.mode === 'random' ? { runs: request.runs ?? 1000, seed: request.seed ?? 1 } : {}),
    },
    verdict: result.verdict,
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    violation: result.violation,
    stats: {
      distinctStates: s.distinctStates,
      transitions: s.transitions,
      depth: s.depth,
      queue: s.queue,
      elapsedMs: s.elapsedMs,
      statesPerSecond: s.statesPerSecond,
      bytes: s.bytes,
      bytesPerState: s.bytesPerState,
      ...(s.threads ? { threads: s.threads } : {}),
      ...(result.simulation ? { runs: result.simulation.runs } : {}),
    },
    moves: result.verdict === 'violation' ? (result.trace?.steps.map((step) => step.move) ?? []) : [],
  };
}

export function saveRun(modelId: string, versionNumber: number, body: ReturnType<typeof runBody>): Promise<ApiResult<{ run: SavedRun }>> {
  return callApi(`/api/models/${encodeURIComponent(modelId)}/versions/${versionNumber}/runs`, { method: 'POST', body: JSON.stringify(body) });
}

export function createShare(input: { modelId: string; versionNumber: number; runId?: string; scenario?: string; step?: number }): Promise<ApiResult<{ id: string; url: string }>> {
  return callApi('/api/share', { method: 'POST', body: JSON.stringify(input) });
}

/** The stored run, to follow its verification. */
export function fetchRun(modelId: string, versionNumber: number, runId: string): Promise<ApiResult<{ run: SavedRun }>> {
  return callApi(`/api/models/${encodeURIComponent(modelId)}/versions/${versionNumber}/runs/${encodeURIComponent(runId)}`);
}

/** The version's stored runs, newest first. */
export function fetchRuns(modelId: string, versionNumber: number): Promise<ApiResult<{ runs: StoredRunSummary[] }>> {
  return callApi(`/api/models/${encodeURIComponent(modelId)}/versions/${versionNumber}/runs`);
}
