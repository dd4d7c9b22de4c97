/** Browser-side calls to the reviews API (lib/transport/reviews.ts holds the shapes). */
import { callApi, type ApiResult } from '@/components/ui/api-client';
import type {
  NewDecisionBody,
  NewThreadBody,
  OpenReviewBody,
  ReviewComment,
  ReviewDetail,
  ReviewList,
  ReviewSummary,
  ReviewThread,
  UpdateReviewBody,
} from '@/lib/transport/reviews';

const base = (modelId: string) => `/api/models/${encodeURIComponent(modelId)}/reviews`;
const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });
const patch = (body: unknown): RequestInit => ({ method: 'PATCH', body: JSON.stringify(body) });

export const listReviews = (modelId: string): Promise<ApiResult<ReviewList>> => callApi(base(modelId));

export const openReview = (modelId: string, body: OpenReviewBody): Promise<ApiResult<{ review: ReviewSummary }>> => callApi(base(modelId), post(body));

export const getReview = (modelId: string, n: number): Promise<ApiResult<ReviewDetail>> => callApi(`${base(modelId)}/${n}`);

export const updateReview = (modelId: string, n: number, body: UpdateReviewBody): Promise<ApiResult<{ review: ReviewSummary }>> =>
  callApi(`${base(modelId)}/${n}`, patch(body));

export const startThread = (modelId: string, n: number, body: NewThreadBody): Promise<ApiResult<{ thread: ReviewThread }>> =>
  callApi(`${base(modelId)}/${n}/threads`, post(body));

export const reply = (modelId: string, n: number, threadId: string, body: string): Promise<ApiResult<{ comment: ReviewComment }>> =>
  callApi(`${base(modelId)}/${n}/threads/${encodeURIComponent(threadId)}/comments`, post({ body }));

export const setResolved = (modelId: string, n: number, threadId: string, resolved: boolean): Promise<ApiResult<{ thread: ReviewThread }>> =>
  callApi(`${base(modelId)}/${n}/threads/${encodeURIComponent(threadId)}`, patch({ resolved }));

/** Asks the server to check the review's versions again after its check failed. */
export const retryVerdicts = (modelId: string, n: number): Promise<ApiResult<{ queued: boolean }>> => callApi(`${base(modelId)}/${n}/verdicts`, post({}));
export const decide = (modelId: string, n: number, body: NewDecisionBody): Promise<ApiResult<unknown>> => callApi(`${base(modelId)}/${n}/decisions`, post(body));

/**
 * A read-only link to one thread (POST /api/share with threadId), pinned to the
 * version the thread was written on; a trace-step thread's link carries its
 * run and step, so the link opens the trace there.
 */
export function shareThread(modelId: string, thread: ReviewThread, runVersion: number | null): Promise<ApiResult<{ id: string; url: string }>> {
  const a = thread.anchor;
  const body =
    a.kind === 'trace-step'
      ? { modelId, threadId: thread.id, versionNumber: runVersion ?? thread.versionNumber, runId: a.runId, scenario: a.scenario, step: a.step }
      : { modelId, threadId: thread.id, versionNumber: thread.versionNumber };
  return callApi('/api/share', post(body));
}

/** A stored run with its trace as move codes (GET /api/models/:id/versions/:n/runs/:runId). */
export interface StoredRun {
  id: string;
  versionNumber: number;
  scenario: string;
  verdict: string;
  options: { symmetry?: boolean; mergeLocalSteps?: boolean } & Record<string, unknown>;
  trace: { moves: number[]; violation: unknown } | null;
  verification: { status: string; reason?: string | null; server?: { moves: number[] } | null };
}

export const getRun = (modelId: string, version: number, runId: string): Promise<ApiResult<{ run: StoredRun }>> =>
  callApi(`/api/models/${encodeURIComponent(modelId)}/versions/${version}/runs/${encodeURIComponent(runId)}`);
