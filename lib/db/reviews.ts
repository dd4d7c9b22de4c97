/**
 * Reviews, their threads, comments and decisions, and the server's own check
 * runs that feed a review's verdict diff. Storage only: who may do what, and
 * what the rows mean, is lib/server/reviews-api.ts's business.
 */
import { anchorSchema, type Anchor } from '@/lib/reviews/anchor';
import type { ReviewDecisionKind, ReviewStatus } from '@/lib/transport/reviews';
import type { Db } from './client';
import { ID_PATTERN, newId } from './ids';
import type { StoredTrace } from './runs';
import type { RunLike } from '@/lib/reviews/verdicts';

export interface ReviewRecord {
  id: string;
  modelId: string;
  number: number;
  versionNumber: number;
  baseNumber: number | null;
  title: string;
  description: string;
  author: string;
  authorId: string | null;
  status: ReviewStatus;
  createdAt: string;
  updatedAt: string;
}

export interface CommentRecord {
  id: string;
  threadId: string;
  body: string;
  author: string;
  authorId: string | null;
  createdAt: string;
}

export interface ThreadRecord {
  id: string;
  reviewId: string;
  anchor: Anchor;
  versionNumber: number;
  author: string;
  authorId: string | null;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: string | null;
  createdAt: string;
  comments: CommentRecord[];
}

export interface DecisionRecord {
  id: string;
  reviewId: string;
  decision: ReviewDecisionKind;
  body: string;
  author: string;
  authorId: string | null;
  versionNumber: number;
  createdAt: string;
}

export interface ReviewWithActivity extends ReviewRecord {
  threads: ThreadRecord[];
  decisions: DecisionRecord[];
}

type ReviewRow = Omit<ReviewRecord, 'status' | 'createdAt' | 'updatedAt'> & { status: string; createdAt: Date; updatedAt: Date };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toReview(row: ReviewRow): ReviewRecord {
  return {
    id: row.id,
    modelId: row.modelId,
    number: row.number,
    versionNumber: row.versionNumber,
    baseNumber: row.baseNumber,
    title: row.title,
    description: row.description,
    author: row.author,
    authorId: row.authorId,
    status: row.status === 'closed' ? 'closed' : 'open',
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toComment(row: { id: string; threadId: string; body: string; author: string; authorId: string | null; createdAt: Date }): CommentRecord {
  return { id: row.id, threadId: row.threadId, body: row.body, author: row.author, authorId: row.authorId, createdAt: row.createdAt.toISOString() };
}

type ThreadRow = {
  id: string;
  reviewId: string;
  anchor: unknown;
  versionNumber: number;
  author: string;
  authorId: string | null;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
  comments?: Array<Parameters<typeof toComment>[0]>;
};

function toThread(row: ThreadRow): ThreadRecord {
  // Parsing puts the keys back in one order (jsonb reorders them); a stored anchor was valid when written.
  const parsed = anchorSchema.safeParse(row.anchor);
  return {
    id: row.id,
    reviewId: row.reviewId,
    anchor: parsed.success ? parsed.data : { kind: 'model' },
    versionNumber: row.versionNumber,
    author: row.author,
    authorId: row.authorId,
    resolved: row.resolved,
    resolvedBy: row.resolvedBy,
    resolvedAt: iso(row.resolvedAt),
    createdAt: row.createdAt.toISOString(),
    comments: (row.comments ?? []).map(toComment),
  };
}

function toDecision(row: { id: string; reviewId: string; decision: string; body: string; author: string; authorId: string | null; versionNumber: number; createdAt: Date }): DecisionRecord {
  return {
    id: row.id,
    reviewId: row.reviewId,
    decision: row.decision === 'approve' ? 'approve' : 'request-changes',
    body: row.body,
    author: row.author,
    authorId: row.authorId,
    versionNumber: row.versionNumber,
    createdAt: row.createdAt.toISOString(),
  };
}

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';

export async function listReviews(db: Db, modelId: string): Promise<ReviewWithActivity[]> {
  if (!ID_PATTERN.test(modelId)) return [];
  const rows = await db.review.findMany({
    where: { modelId },
    orderBy: { number: 'desc' },
    include: { threads: { select: { id: true, reviewId: true, anchor: true, versionNumber: true, author: true, authorId: true, resolved: true, resolvedBy: true, resolvedAt: true, createdAt: true } }, decisions: true },
  });
  return rows.map((row) => ({ ...toReview(row), threads: row.threads.map(toThread), decisions: row.decisions.map(toDecision) }));
}

export type NewReviewInput = Pick<ReviewRecord, 'modelId' | 'versionNumber' | 'baseNumber' | 'title' | 'description' | 'author' | 'authorId'>;

/** Creates the model's next review (numbers are per model; two at once: the loser takes the next number). */
export async function createReview(db: Db, input: NewReviewInput): Promise<ReviewRecord> {
  for (let attempt = 0; ; attempt++) {
    const last = await db.review.findFirst({ where: { modelId: input.modelId }, orderBy: { number: 'desc' }, select: { number: true } });
    try {
      const row = await db.review.create({ data: { id: newId(), number: (last?.number ?? 0) + 1, status: 'open', ...input } });
      return toReview(row);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 20) throw error;
    }
  }
}

export async function getReview(db: Db, modelId: string, number: number): Promise<ReviewWithActivity | null> {
  if (!ID_PATTERN.test(modelId) || !Number.isSafeInteger(number) || number < 1) return null;
  const row = await db.review.findUnique({
    where: { modelId_number: { modelId, number } },
    include: {
      threads: { orderBy: { createdAt: 'asc' }, include: { comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } },
      decisions: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    },
  });
  if (!row) return null;
  return { ...toReview(row), threads: row.threads.map(toThread), decisions: row.decisions.map(toDecision) };
}

export async function updateReview(
  db: Db,
  id: string,
  patch: Partial<Pick<ReviewRecord, 'versionNumber' | 'baseNumber' | 'title' | 'description' | 'status'>>,
): Promise<void> {
  await db.review.update({ where: { id }, data: { ...patch, updatedAt: new Date() } });
}

/** Touches the review (its list is ordered by activity in the UI). */
const touch = (db: Pick<Db, 'review'>, reviewId: string) => db.review.update({ where: { id: reviewId }, data: { updatedAt: new Date() } });

export async function createThread(
  db: Db,
  input: { reviewId: string; anchor: Anchor; versionNumber: number; body: string; author: string; authorId: string | null },
): Promise<ThreadRecord> {
  const row = await db.$transaction(async (tx) => {
    const thread = await tx.reviewThread.create({
      data: { id: newId(), reviewId: input.reviewId, anchor: JSON.parse(JSON.stringify(input.anchor)), versionNumber: input.versionNumber, author: input.author, authorId: input.authorId },
    });
    await tx.reviewComment.create({ data: { id: newId(), threadId: thread.id, body: input.body, author: input.author, authorId: input.authorId } });
    await touch(tx, input.reviewId);
    return tx.reviewThread.findUniqueOrThrow({ where: { id: thread.id }, include: { comments: { orderBy: { createdAt: 'asc' } } } });
  });
  return toThread(row);
}

/** The thread if it belongs to the review; null otherwise (one review's thread id is not another's). */
export async function getThread(db: Db, reviewId: string, threadId: string): Promise<ThreadRecord | null> {
  if (!ID_PATTERN.test(threadId)) return null;
  const row = await db.reviewThread.findUnique({ where: { id: threadId }, include: { comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } });
  return row && row.reviewId === reviewId ? toThread(row) : null;
}

export async function addComment(db: Db, input: { reviewId: string; threadId: string; body: string; author: string; authorId: string | null }): Promise<CommentRecord> {
  const row = await db.$transaction(async (tx) => {
    const comment = await tx.reviewComment.create({ data: { id: newId(), threadId: input.threadId, body: input.body, author: input.author, authorId: input.authorId } });
    await touch(tx, input.reviewId);
    return comment;
  });
  return toComment(row);
}

export async function setThreadResolved(db: Db, threadId: string, resolved: boolean, by: string): Promise<void> {
  await db.reviewThread.update({
    where: { id: threadId },
    data: resolved ? { resolved: true, resolvedBy: by, resolvedAt: new Date() } : { resolved: false, resolvedBy: null, resolvedAt: null },
  });
}

export async function addDecision(
  db: Db,
  input: { reviewId: string; decision: ReviewDecisionKind; body: string; versionNumber: number; author: string; authorId: string | null },
): Promise<DecisionRecord> {
  const row = await db.$transaction(async (tx) => {
    const decision = await tx.reviewDecision.create({ data: { id: newId(), ...input } });
    await touch(tx, input.reviewId);
    return decision;
  });
  return toDecision(row);
}

/** Members of a workspace (the author may decide on their own review only when they are the only one). */
export async function memberCount(db: Db, workspaceId: string): Promise<number> {
  return db.member.count({ where: { organizationId: workspaceId } });
}

/** A stored run as the verdict diff reads it. */
export type VerdictRun = RunLike & { createdAt: Date };

/** Every run of these versions of a model that is settled (not waiting for verification), newest first. */
export async function settledRuns(db: Db, modelId: string, versionNumbers: number[]): Promise<VerdictRun[]> {
  if (!ID_PATTERN.test(modelId) || versionNumbers.length === 0) return [];
  const rows = await db.checkRun.findMany({
    where: { modelVersion: { modelId, number: { in: versionNumbers } }, status: { in: ['verified', 'too-large'] } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, scenario: true, options: true, verdict: true, stats: true, trace: true, author: true, status: true, createdAt: true, modelVersion: { select: { number: true } } },
    take: 5_000,
  });
  return rows.map(({ modelVersion, ...row }) => ({ ...row, versionNumber: modelVersion.number }));
}

/** The server's own run of a scenario: settled when stored (verified by construction, or too large for the budget). */
export async function recordServerRun(
  db: Db,
  input: {
    modelVersionId: string;
    scenario: string;
    options: unknown;
    verdict: 'pass' | 'violation' | 'incomplete';
    stats: unknown;
    trace: StoredTrace | null;
    status: 'verified' | 'too-large';
    verification: unknown;
  },
): Promise<string> {
  const id = newId();
  const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as object;
  await db.checkRun.create({
    data: {
      id,
      modelVersionId: input.modelVersionId,
      scenario: input.scenario,
      options: json(input.options),
      verdict: input.verdict,
      stats: json(input.stats),
      ...(input.trace ? { trace: json(input.trace) } : {}),
      author: 'server',
      status: input.status,
      verification: json(input.verification),
      verifiedAt: new Date(),
    },
  });
  return id;
}

/** The id of a model version row, with its document (what a check-version job works on). */
export async function versionRow(db: Db, modelId: string, number: number): Promise<{ id: string; document: unknown } | null> {
  if (!ID_PATTERN.test(modelId)) return null;
  return db.modelVersion.findUnique({ where: { modelId_number: { modelId, number } }, select: { id: true, document: true } });
}

/** The latest approving decision per review is computed by the caller; this lists every review's current-version decisions. */
export async function reviewsWithDecisions(db: Db, modelId: string): Promise<Array<{ number: number; versionNumber: number; decisions: DecisionRecord[] }>> {
  if (!ID_PATTERN.test(modelId)) return [];
  const rows = await db.review.findMany({ where: { modelId }, select: { id: true, number: true, versionNumber: true, decisions: true } });
  return rows.map((r) => ({ number: r.number, versionNumber: r.versionNumber, decisions: r.decisions.map(toDecision) }));
}

/** A thread with its review's number, title and model, for a share link (null: no such thread). */
export async function threadForShare(db: Db, threadId: string): Promise<(ThreadRecord & { modelId: string; reviewNumber: number; reviewTitle: string }) | null> {
  if (!ID_PATTERN.test(threadId)) return null;
  const row = await db.reviewThread.findUnique({
    where: { id: threadId },
    include: { comments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, review: { select: { modelId: true, number: true, title: true } } },
  });
  if (!row) return null;
  return { ...toThread(row), modelId: row.review.modelId, reviewNumber: row.review.number, reviewTitle: row.review.title };
}
