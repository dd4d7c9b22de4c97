/**
 * Design reviews over HTTP, as plain functions from an authorized request to
 * a Response (the routes under app/api/models/[id]/reviews only authorize and
 * pass params). Also the loaders the review and model pages call directly.
 *
 * Who may do what: reading needs model:read; opening and editing a review
 * model:write (editor+); commenting model:comment (viewer+); resolving
 * threads model:resolve (editor+); approving or requesting changes
 * model:decide (viewer+), but never on one's own review unless one is the
 * workspace's only member. A closed review takes no writes until reopened.
 *
 * The verdict diff comes from CheckRun rows of the review's version and base
 * version checked with the default options; a `check-version` job (lib/jobs)
 * makes the server check whatever is missing, and the diff is `pending`
 * until every scenario of both versions has its run.
 */
import { z } from 'zod';
import { lintModel, type Lint } from '@/lib/check';
import { diffModels } from '@/lib/editor/diff';
import { analyzeModel, type ModelDocument } from '@/lib/model';
import { MAX_VERSION_NUMBER, parseVersionNumber } from '@/lib/model/version-number';
import { getVersion } from '@/lib/db/models';
import { getCheckRun } from '@/lib/db/runs';
import * as store from '@/lib/db/reviews';
import type { ReviewWithActivity, ThreadRecord } from '@/lib/db/reviews';
import { enqueueVersionCheck, versionCheckState } from '@/lib/jobs/check-version-job';
import { nudgeJobRunner } from '@/lib/jobs/start';
import { anchorLabel, anchorSchema, missingAnchor, resolveAnchor, type Anchor } from '@/lib/reviews/anchor';
import { lintDiff } from '@/lib/reviews/lint-diff';
import { reviewOutcome } from '@/lib/reviews/outcome';
import { reviewVerdicts } from '@/lib/reviews/verdicts';
import { stepAt, type BlockKey } from '@/lib/model/walk';
import {
  REVIEW_LIMITS,
  type ApprovedVersion,
  type ReviewComment,
  type ReviewDecision,
  type ReviewDetail,
  type ReviewList,
  type ReviewPermissions,
  type ReviewSummary,
  type ReviewThread,
  type SharedThread,
  type VerdictDiff,
} from '@/lib/transport/reviews';
import { authorOf, roleAllows, type Granted } from './authorize';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues } from './http';

type Database = Awaited<ReturnType<typeof getDb>>['prisma'];

const versionField = z.number().int().min(1).max(MAX_VERSION_NUMBER);
const nonBlank = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is longer than ${max.toLocaleString('en')} characters`)
    .refine((s) => s.trim().length > 0, `${what} is empty`);

const openSchema = z
  .object({
    version: versionField,
    baseVersion: versionField.nullable().optional(),
    title: nonBlank(REVIEW_LIMITS.title, 'the title'),
    description: z.string().max(REVIEW_LIMITS.description).optional(),
  })
  .strict();

const updateSchema = z
  .object({
    version: versionField.optional(),
    baseVersion: versionField.nullable().optional(),
    status: z.enum(['open', 'closed']).optional(),
    title: nonBlank(REVIEW_LIMITS.title, 'the title').optional(),
    description: z.string().max(REVIEW_LIMITS.description).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'say what to change: version, baseVersion, status, title or description');

const commentBody = nonBlank(REVIEW_LIMITS.comment, 'the comment');
const threadSchema = z.object({ anchor: anchorSchema, body: commentBody }).strict();
const commentSchema = z.object({ body: commentBody }).strict();
const resolveSchema = z.object({ resolved: z.boolean() }).strict();
const decisionSchema = z
  .object({ decision: z.enum(['approve', 'request-changes']), body: z.string().max(REVIEW_LIMITS.comment).optional() })
  .strict();

const invalid = (path: string, message: string) => apiError(400, 'invalid request', [{ path, message }]);
const closed = () => apiError(409, 'this review is closed: reopen it first', [{ path: 'status', message: 'closed' }]);

/** The `:number` segment of a review URL; null when it spells no review number. */
export function parseReviewNumber(raw: string): number | null {
  return parseVersionNumber(raw);
}

async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const body = await readJsonBody(request);
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) return { ok: false, response: apiError(400, 'invalid request', zodIssues(parsed.error)) };
  return { ok: true, value: parsed.data };
}

/** Versions' documents, each read once. */
function documents(db: Database, modelId: string) {
  const cache = new Map<number, Promise<ModelDocument | null>>();
  return (n: number) => {
    let doc = cache.get(n);
    if (!doc) cache.set(n, (doc = getVersion(db, modelId, n).then((v) => v?.document ?? null)));
    return doc;
  };
}

function summarize(review: ReviewWithActivity): ReviewSummary {
  const { outcome, approvedAt } = reviewOutcome(review.decisions, review.versionNumber);
  return {
    number: review.number,
    modelId: review.modelId,
    title: review.title,
    description: review.description,
    author: review.author,
    authorId: review.authorId,
    status: review.status,
    outcome,
    approvedAt,
    versionNumber: review.versionNumber,
    baseNumber: review.baseNumber,
    threadCount: review.threads.length,
    unresolvedThreadCount: review.threads.filter((t) => !t.resolved).length,
    createdAt: review.createdAt,
    updatedAt: review.updatedAt,
  };
}

/** The most recently approved review that is not closed, or null. */
function latestApproved(reviews: readonly ReviewSummary[]): ApprovedVersion | null {
  let best: ApprovedVersion | null = null;
  for (const r of reviews) {
    if (r.status === 'closed' || r.outcome !== 'approved' || !r.approvedAt) continue;
    if (!best || r.approvedAt > best.approvedAt) best = { versionNumber: r.versionNumber, reviewNumber: r.number, approvedAt: r.approvedAt };
  }
  return best;
}

/** The reviews of a model, newest first, and its latest approved version (for pages; the caller has authorized model:read). */
export async function loadReviewList(modelId: string): Promise<ReviewList> {
  const db = await getDb();
  const reviews = (await store.listReviews(db.prisma, modelId)).map(summarize);
  return { reviews, approved: latestApproved(reviews) };
}

/** The model page's "approved: vN" (the caller has authorized model:read). */
export async function latestApprovedVersion(modelId: string): Promise<ApprovedVersion | null> {
  return (await loadReviewList(modelId)).approved;
}

/** GET /api/models/:id/reviews */
export async function listReviews(modelId: string): Promise<Response> {
  return json(await loadReviewList(modelId));
}

/** Queues the server's checks of the review's versions (each only if something is missing) and wakes the runner. */
async function queueVerdicts(db: Database, modelId: string, versions: Array<number | null>): Promise<boolean> {
  let queued = false;
  for (const n of versions) if (n !== null && (await enqueueVersionCheck(db, modelId, n))) queued = true;
  if (queued) nudgeJobRunner();
  return queued;
}

/** POST /api/models/:id/reviews — `{ version, baseVersion?, title, description? }`. */
export async function openReview(request: Request, modelId: string, access: Granted): Promise<Response> {
  const body = await parseBody(request, openSchema);
  if (!body.ok) return body.response;
  const input = body.value;
  const db = await getDb();
  const docOf = documents(db.prisma, modelId);
  if (!(await docOf(input.version))) return invalid('version', `this model has no version ${input.version}`);

  let base: number | null;
  if (input.baseVersion !== undefined) {
    base = input.baseVersion;
  } else {
    // Default: the last approved version, else the previous one, else none.
    const approved = await latestApprovedVersion(modelId);
    base = approved && approved.versionNumber < input.version ? approved.versionNumber : input.version > 1 ? input.version - 1 : null;
  }
  if (base !== null) {
    if (base >= input.version) return invalid('baseVersion', `the base must be an earlier version than ${input.version}`);
    if (!(await docOf(base))) return invalid('baseVersion', `this model has no version ${base}`);
  }

  const { author, authorId } = authorOf(access);
  const created = await store.createReview(db.prisma, {
    modelId,
    versionNumber: input.version,
    baseNumber: base,
    title: input.title,
    description: input.description ?? '',
    author,
    authorId,
  });
  await queueVerdicts(db.prisma, modelId, [input.version, base]);
  const review = summarize({ ...created, threads: [], decisions: [] });
  return json({ review }, 201, { location: `/api/models/${encodeURIComponent(modelId)}/reviews/${review.number}` });
}

async function loadReview(modelId: string, rawNumber: string): Promise<{ ok: true; review: ReviewWithActivity; db: Database } | { ok: false; response: Response }> {
  const number = parseReviewNumber(rawNumber);
  if (number === null) return { ok: false, response: invalid('number', 'must be a review number: a whole number from 1, without sign or leading zero') };
  const db = await getDb();
  const review = await store.getReview(db.prisma, modelId, number);
  if (!review) return { ok: false, response: notFound('review') };
  return { ok: true, review, db: db.prisma };
}

function permissions(access: Granted, review: ReviewWithActivity, soleMember: boolean): ReviewPermissions {
  const role = access.role;
  const isAuthor = review.authorId !== null && review.authorId === access.actor.userId;
  const open = review.status === 'open';
  const may = (action: Parameters<typeof roleAllows>[1]) => role !== null && roleAllows(role, action);
  return {
    comment: open && may('model:comment'),
    resolve: open && may('model:resolve'),
    decide: open && may('model:decide') && (!isAuthor || soleMember),
    edit: may('model:write'),
    isAuthor,
  };
}

async function isSoleMember(db: Database, access: Granted): Promise<boolean> {
  return access.workspaceId !== null && (await store.memberCount(db, access.workspaceId)) <= 1;
}

function toComment(c: ThreadRecord['comments'][number]): ReviewComment {
  return { id: c.id, threadId: c.threadId, author: c.author, authorId: c.authorId, body: c.body, createdAt: c.createdAt };
}

/** A thread as the API shows it, its anchor looked up at the review's current version. */
async function presentThread(
  db: Database,
  review: ReviewWithActivity,
  thread: ThreadRecord,
  docOf: (n: number) => Promise<ModelDocument | null>,
  runVersions: Map<string, Promise<number | null>>,
): Promise<ReviewThread> {
  const [anchored, current] = await Promise.all([docOf(thread.versionNumber), docOf(review.versionNumber)]);
  let resolved: ReturnType<typeof resolveAnchor> = { status: 'outdated' };
  let runVersionNumber: number | null = null;
  if (thread.anchor.kind === 'trace-step') {
    const runId = thread.anchor.runId;
    if (!runVersions.has(runId)) runVersions.set(runId, getCheckRun(db, runId).then((r) => (r && r.modelId === review.modelId ? r.versionNumber : null)));
    const runVersion = await runVersions.get(runId)!;
    runVersionNumber = runVersion;
    resolved = runVersion === null ? { status: 'outdated' } : { status: runVersion === review.versionNumber ? 'current' : 'outdated' };
  } else if (anchored && current) {
    resolved = resolveAnchor(thread.anchor, anchored, current);
  }
  return {
    id: thread.id,
    reviewNumber: review.number,
    anchor: thread.anchor,
    versionNumber: thread.versionNumber,
    anchorStatus: resolved.status,
    ...(resolved.path ? { currentPath: resolved.path } : {}),
    ...(runVersionNumber !== null ? { runVersionNumber } : {}),
    anchorLabel: anchorLabel(thread.anchor, anchored ?? undefined),
    resolved: thread.resolved,
    resolvedBy: thread.resolvedBy,
    resolvedAt: thread.resolvedAt,
    author: thread.author,
    authorId: thread.authorId,
    createdAt: thread.createdAt,
    comments: thread.comments.map(toComment),
  };
}

function lintsOf(doc: ModelDocument | null): Lint[] {
  if (!doc) return [];
  const analyzed = analyzeModel(doc);
  return analyzed.ok ? lintModel(analyzed.value) : [];
}

const scenarioRefs = (doc: ModelDocument | null) => (doc?.scenarios ?? []).map((s) => ({ name: s.name, expect: s.expect }));

async function verdictsOf(db: Database, review: ReviewWithActivity, docOf: (n: number) => Promise<ModelDocument | null>): Promise<VerdictDiff> {
  const [doc, baseDoc] = await Promise.all([docOf(review.versionNumber), review.baseNumber !== null ? docOf(review.baseNumber) : null]);
  const runs = await store.settledRuns(db, review.modelId, review.baseNumber !== null ? [review.versionNumber, review.baseNumber] : [review.versionNumber]);
  const { missing, ...diff } = reviewVerdicts(
    runs,
    { versionNumber: review.versionNumber, scenarios: scenarioRefs(doc) },
    review.baseNumber !== null ? { versionNumber: review.baseNumber, scenarios: scenarioRefs(baseDoc) } : null,
  );
  // A job lost (or a run deleted) since the review was opened: queue the check again. A check that
  // failed for good is not retried on every look (it would fail again, and the page would say
  // "pending" for ever): the page says it failed, and someone asks for it again (retryVerdicts).
  const waiting = [...new Set(missing.map((m) => m.versionNumber))];
  const failures: NonNullable<VerdictDiff['failures']> = [];
  for (const n of waiting) {
    const check = await versionCheckState(db, review.modelId, n);
    if (check.state === 'failed') failures.push({ versionNumber: n, error: check.error, at: check.at.toISOString() });
    else if (check.state === 'idle') await queueVerdicts(db, review.modelId, [n]);
  }
  return failures.length > 0 ? { ...diff, status: 'failed', failures } : diff;
}

/** POST /api/models/:id/reviews/:number/verdicts — check the review's versions again (after a failure); the caller has authorized model:run. */
export async function retryVerdicts(modelId: string, rawNumber: string): Promise<Response> {
  const found = await loadReview(modelId, rawNumber);
  if (!found.ok) return found.response;
  const { review, db } = found;
  return json({ queued: await queueVerdicts(db, modelId, [review.versionNumber, review.baseNumber]) }, 202);
}

/** Everything the review page shows (the caller has authorized model:read). */
export async function loadReviewDetail(access: Granted, modelId: string, review: ReviewWithActivity, dbIn?: Database): Promise<ReviewDetail> {
  const db = dbIn ?? (await getDb()).prisma;
  const docOf = documents(db, modelId);
  const [doc, baseDoc] = await Promise.all([docOf(review.versionNumber), review.baseNumber !== null ? docOf(review.baseNumber) : null]);
  const runVersions = new Map<string, Promise<number | null>>();
  const [verdictDiff, threads, soleMember] = await Promise.all([
    verdictsOf(db, review, docOf),
    Promise.all(review.threads.map((t) => presentThread(db, review, t, docOf, runVersions))),
    isSoleMember(db, access),
  ]);
  const decisions: ReviewDecision[] = review.decisions.map((d) => ({
    id: d.id,
    decision: d.decision,
    body: d.body,
    author: d.author,
    authorId: d.authorId,
    versionNumber: d.versionNumber,
    current: d.versionNumber === review.versionNumber,
    createdAt: d.createdAt,
  }));
  return {
    review: summarize(review),
    structuralDiff: doc && baseDoc ? diffModels(baseDoc, doc) : [],
    verdictDiff,
    lintDiff: lintDiff(baseDoc ? lintsOf(baseDoc) : [], lintsOf(doc)),
    threads,
    decisions,
    permissions: permissions(access, review, soleMember),
  };
}

/** For the review page: the detail, or null when the model has no such review. */
export async function loadReviewPage(access: Granted, modelId: string, number: number): Promise<ReviewDetail | null> {
  const db = await getDb();
  const review = await store.getReview(db.prisma, modelId, number);
  return review ? loadReviewDetail(access, modelId, review, db.prisma) : null;
}

/** GET /api/models/:id/reviews/:n */
export async function getReview(modelId: string, rawNumber: string, access: Granted): Promise<Response> {
  const loaded = await loadReview(modelId, rawNumber);
  if (!loaded.ok) return loaded.response;
  return json(await loadReviewDetail(access, modelId, loaded.review, loaded.db));
}

/** PATCH /api/models/:id/reviews/:n — move to another version, rebase, retitle, close or reopen. */
export async function updateReview(request: Request, modelId: string, rawNumber: string, access: Granted): Promise<Response> {
  const loaded = await loadReview(modelId, rawNumber);
  if (!loaded.ok) return loaded.response;
  const { review, db } = loaded;
  const body = await parseBody(request, updateSchema);
  if (!body.ok) return body.response;
  const input = body.value;
  if (review.status === 'closed' && input.status !== 'open') return closed();

  const docOf = documents(db, modelId);
  const version = input.version ?? review.versionNumber;
  const base = input.baseVersion !== undefined ? input.baseVersion : review.baseNumber;
  if (input.version !== undefined && !(await docOf(input.version))) return invalid('version', `this model has no version ${input.version}`);
  if (base !== null && base >= version) {
    return invalid(input.baseVersion !== undefined ? 'baseVersion' : 'version', `the base (version ${base}) must be earlier than the reviewed version (${version})`);
  }
  if (input.baseVersion != null && !(await docOf(input.baseVersion))) return invalid('baseVersion', `this model has no version ${input.baseVersion}`);

  await store.updateReview(db, review.id, {
    ...(input.version !== undefined ? { versionNumber: input.version } : {}),
    ...(input.baseVersion !== undefined ? { baseNumber: input.baseVersion } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  });
  if (input.version !== undefined || input.baseVersion !== undefined) await queueVerdicts(db, modelId, [version, base]);
  const updated = (await store.getReview(db, modelId, review.number))!;
  return json({ review: summarize(updated) });
}

/** Why the anchor cannot be written on this review's version, as a 400; or the anchor to store (a step's label filled in). */
async function checkAnchor(db: Database, review: ReviewWithActivity, anchor: Anchor, doc: ModelDocument): Promise<{ ok: true; anchor: Anchor } | { ok: false; response: Response }> {
  if (anchor.kind === 'trace-step') {
    const run = await getCheckRun(db, anchor.runId);
    if (!run || run.modelId !== review.modelId) return { ok: false, response: invalid('anchor.runId', 'this model has no such check run') };
    if (run.scenario !== anchor.scenario) return { ok: false, response: invalid('anchor.scenario', `the run checked '${run.scenario}'`) };
    const length = run.trace?.moves.length ?? 0;
    if (anchor.step > length) {
      return { ok: false, response: invalid('anchor.step', length === 0 ? 'the run has no trace: only step 0 (the initial state)' : `the run's trace has steps 0 to ${length}`) };
    }
    return { ok: true, anchor };
  }
  const missing = missingAnchor(anchor, doc);
  if (missing) return { ok: false, response: invalid('anchor', `not in version ${review.versionNumber}: ${missing}`) };
  if (anchor.kind === 'step') {
    const op = doc.operations.find((o) => o.name === anchor.operation)!;
    const step = stepAt(op.steps, anchor.path as (number | BlockKey)[])!;
    const { label: _ignored, ...rest } = anchor;
    // The step's own label, so the thread follows the step if it moves.
    return { ok: true, anchor: step.label ? { ...rest, label: step.label } : rest };
  }
  return { ok: true, anchor };
}

/** POST /api/models/:id/reviews/:n/threads — `{ anchor, body }`. */
export async function createThread(request: Request, modelId: string, rawNumber: string, access: Granted): Promise<Response> {
  const loaded = await loadReview(modelId, rawNumber);
  if (!loaded.ok) return loaded.response;
  const { review, db } = loaded;
  const body = await parseBody(request, threadSchema);
  if (!body.ok) return body.response;
  if (review.status === 'closed') return closed();
  const docOf = documents(db, modelId);
  const doc = await docOf(review.versionNumber);
  if (!doc) return notFound('version');
  const checked = await checkAnchor(db, review, body.value.anchor, doc);
  if (!checked.ok) return checked.response;
  const { author, authorId } = authorOf(access);
  const thread = await store.createThread(db, { reviewId: review.id, anchor: checked.anchor, versionNumber: review.versionNumber, body: body.value.body, author, authorId });
  const shown = await presentThread(db, review, thread, docOf, new Map());
  return json({ thread: shown }, 201, { location: `/api/models/${encodeURIComponent(modelId)}/reviews/${review.number}/threads/${thread.id}` });
}

async function loadThread(modelId: string, rawNumber: string, threadId: string) {
  const loaded = await loadReview(modelId, rawNumber);
  if (!loaded.ok) return loaded;
  const thread = await store.getThread(loaded.db, loaded.review.id, threadId);
  if (!thread) return { ok: false as const, response: notFound('thread') };
  return { ...loaded, thread };
}

/** POST /api/models/:id/reviews/:n/threads/:threadId/comments — `{ body }`. */
export async function addComment(request: Request, modelId: string, rawNumber: string, threadId: string, access: Granted): Promise<Response> {
  const loaded = await loadThread(modelId, rawNumber, threadId);
  if (!loaded.ok) return loaded.response;
  const body = await parseBody(request, commentSchema);
  if (!body.ok) return body.response;
  if (loaded.review.status === 'closed') return closed();
  const { author, authorId } = authorOf(access);
  const comment = await store.addComment(loaded.db, { reviewId: loaded.review.id, threadId: loaded.thread.id, body: body.value.body, author, authorId });
  return json({ comment: toComment(comment) }, 201);
}

/** PATCH /api/models/:id/reviews/:n/threads/:threadId — `{ resolved }`. */
export async function resolveThread(request: Request, modelId: string, rawNumber: string, threadId: string, access: Granted): Promise<Response> {
  const loaded = await loadThread(modelId, rawNumber, threadId);
  if (!loaded.ok) return loaded.response;
  const body = await parseBody(request, resolveSchema);
  if (!body.ok) return body.response;
  if (loaded.review.status === 'closed') return closed();
  await store.setThreadResolved(loaded.db, loaded.thread.id, body.value.resolved, authorOf(access).author);
  const thread = (await store.getThread(loaded.db, loaded.review.id, loaded.thread.id))!;
  return json({ thread: await presentThread(loaded.db, loaded.review, thread, documents(loaded.db, modelId), new Map()) });
}

/** POST /api/models/:id/reviews/:n/decisions — `{ decision, body? }`. */
export async function decide(request: Request, modelId: string, rawNumber: string, access: Granted): Promise<Response> {
  const loaded = await loadReview(modelId, rawNumber);
  if (!loaded.ok) return loaded.response;
  const { review, db } = loaded;
  const body = await parseBody(request, decisionSchema);
  if (!body.ok) return body.response;
  if (review.status === 'closed') return closed();
  const { author, authorId } = authorOf(access);
  if (review.authorId === authorId && !(await isSoleMember(db, access))) {
    return apiError(403, 'the author of a review cannot approve or request changes on it: another member decides', [{ path: 'decision', message: 'you opened this review' }]);
  }
  const decision = await store.addDecision(db, { reviewId: review.id, decision: body.value.decision, body: body.value.body ?? '', versionNumber: review.versionNumber, author, authorId });
  const updated = (await store.getReview(db, modelId, review.number))!;
  const shown: ReviewDecision = { ...decision, current: true };
  return json({ decision: shown, review: summarize(updated) }, 201);
}

/**
 * For POST /api/share with `threadId`: the thread when it belongs to `modelId`
 * (else null, answered as 404), with the version it was written on (the
 * version the link should show).
 */
export async function threadToShare(modelId: string, threadId: string): Promise<{ versionNumber: number } | null> {
  const db = await getDb();
  const thread = await store.threadForShare(db.prisma, threadId);
  return thread && thread.modelId === modelId ? { versionNumber: thread.versionNumber } : null;
}

/** What a share link shows of its thread: read-only, without the model's id. */
export async function sharedThread(threadId: string): Promise<SharedThread | null> {
  const db = await getDb();
  const thread = await store.threadForShare(db.prisma, threadId);
  if (!thread) return null;
  const doc = await getVersion(db.prisma, thread.modelId, thread.versionNumber);
  return {
    reviewNumber: thread.reviewNumber,
    reviewTitle: thread.reviewTitle,
    anchor: thread.anchor,
    anchorLabel: anchorLabel(thread.anchor, doc?.document),
    versionNumber: thread.versionNumber,
    resolved: thread.resolved,
    comments: thread.comments.map((c) => ({ author: c.author, body: c.body, createdAt: c.createdAt })),
  };
}
