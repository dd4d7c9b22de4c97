/**
 * Check runs and share links. A check run is stored with the exact model
 * version, scenario, options, verdict, statistics and trace it produced, so a
 * shared link always shows what was checked. The trace is stored as its move
 * codes only (states are derived on read, a page at a time): a run costs its
 * moves, never a state view per step.
 *
 * A run starts `reported` (what the browser said) with a verification job
 * queued in the same transaction; the job's verdict (`verified`, `refuted`,
 * `too-large`) is written back with `recordVerification`.
 *
 * A share link is an unguessable id (192 random bits) that resolves to a
 * version, and optionally a run and a step in its trace; it is read-only by
 * construction (nothing writes through it).
 */
import type { ModelDocument } from '@/lib/model';
import type { RunStatus, StoredTrace, Verdict } from '@/lib/transport/runs';
import { enqueueJob, finishJob, VERIFY_RUN } from '@/lib/jobs/queue';
import type { Db } from './client';
import { newId, ID_PATTERN } from './ids';

// The shapes that cross HTTP live in lib/transport (client components import them from there).
export type { RunStatus, StoredTrace, Verdict } from '@/lib/transport/runs';
export const RUN_STATUSES: readonly RunStatus[] = ['reported', 'verified', 'refuted', 'too-large'];

export interface CheckRunInput {
  modelId: string;
  versionNumber: number;
  scenario: string;
  options: unknown;
  verdict: Verdict;
  stats: unknown;
  trace?: StoredTrace;
  /** The account that posted it (default 'anonymous'). */
  author?: string;
  /** Queue the server's re-check with it (default true). */
  verify?: boolean;
}

export interface CheckRunRecord {
  id: string;
  modelId: string;
  versionNumber: number;
  scenario: string;
  options: unknown;
  verdict: Verdict;
  stats: unknown;
  trace: StoredTrace | null;
  author: string;
  status: RunStatus;
  /** The server's re-check (lib/check/verify's Verification), once done. */
  verification: unknown;
  verifiedAt: string | null;
  createdAt: string;
}

export interface ShareLinkInput {
  /** The account that created the link. */
  author?: string;
  modelId: string;
  versionNumber: number;
  checkRunId?: string;
  scenario?: string;
  step?: number;
  /** A review thread to show read-only (reviews). */
  threadId?: string;
}

export interface SharedView {
  id: string;
  readOnly: true;
  modelId: string;
  versionNumber: number;
  document: ModelDocument;
  scenario: string | null;
  step: number | null;
  checkRun: CheckRunRecord | null;
  threadId: string | null;
  createdAt: string;
}

/** Share ids carry 192 random bits (the issue asks for at least 128). */
const SHARE_ID_BYTES = 24;

const asJson = (v: unknown) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as object));

async function versionId(db: Db, modelId: string, number: number): Promise<string | null> {
  if (!ID_PATTERN.test(modelId) || !Number.isSafeInteger(number) || number < 1) return null;
  const row = await db.modelVersion.findUnique({ where: { modelId_number: { modelId, number } }, select: { id: true } });
  return row?.id ?? null;
}

type RunRow = {
  id: string;
  scenario: string;
  options: unknown;
  verdict: string;
  stats: unknown;
  trace: unknown;
  author: string;
  status: string;
  verification: unknown;
  verifiedAt: Date | null;
  createdAt: Date;
  modelVersion: { modelId: string; number: number };
};

const runSelect = {
  id: true,
  scenario: true,
  options: true,
  verdict: true,
  stats: true,
  trace: true,
  author: true,
  status: true,
  verification: true,
  verifiedAt: true,
  createdAt: true,
  modelVersion: { select: { modelId: true, number: true } },
} as const;

/** Reads a trace column: `{ moves, violation }`, or the older shape that kept a state view per step. */
export function storedTrace(value: unknown): StoredTrace | null {
  if (!value || typeof value !== 'object') return null;
  const t = value as { moves?: unknown; steps?: Array<{ move?: unknown }>; violation?: StoredTrace['violation'] };
  const moves = Array.isArray(t.moves) ? t.moves : Array.isArray(t.steps) ? t.steps.map((s) => s?.move) : [];
  return { moves: moves.filter((m): m is number => Number.isInteger(m)), violation: t.violation ?? null };
}

function toRun(row: RunRow): CheckRunRecord {
  return {
    id: row.id,
    modelId: row.modelVersion.modelId,
    versionNumber: row.modelVersion.number,
    scenario: row.scenario,
    options: row.options,
    verdict: row.verdict as Verdict,
    stats: row.stats,
    trace: storedTrace(row.trace),
    author: row.author,
    status: (RUN_STATUSES as readonly string[]).includes(row.status) ? (row.status as RunStatus) : 'reported',
    verification: row.verification ?? null,
    verifiedAt: row.verifiedAt ? row.verifiedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Stores a reported check run and, in the same transaction, the job that
 * will verify it (so a run is never left without one, even across a crash);
 * null when the model version does not exist.
 */
export async function recordCheckRun(db: Db, input: CheckRunInput): Promise<CheckRunRecord | null> {
  const vid = await versionId(db, input.modelId, input.versionNumber);
  if (!vid) return null;
  const trace = input.trace ? { moves: input.trace.moves, violation: input.trace.violation } : undefined;
  const row = await db.$transaction(async (tx) => {
    const run = await tx.checkRun.create({
      data: {
        id: newId(),
        modelVersionId: vid,
        scenario: input.scenario,
        options: asJson(input.options ?? {})!,
        verdict: input.verdict,
        stats: asJson(input.stats ?? {})!,
        trace: asJson(trace),
        author: input.author ?? 'anonymous',
        status: 'reported',
      },
      select: runSelect,
    });
    if (input.verify !== false) await enqueueJob(tx, VERIFY_RUN, run.id);
    return run;
  });
  return toRun(row);
}

/** A run with its version's document: what a verification job needs. */
export async function getRunForVerification(db: Db, id: string): Promise<{ run: CheckRunRecord; document: unknown } | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.checkRun.findUnique({ where: { id }, select: { ...runSelect, modelVersion: { select: { modelId: true, number: true, document: true } } } });
  return row ? { run: toRun(row), document: row.modelVersion.document } : null;
}

/**
 * Writes the server's verdict on a run and finishes its job, atomically and
 * only while `owner` still holds the job (a taken-over job is finished by
 * its new owner). False when the job was lost.
 */
export async function recordVerification(
  db: Db,
  input: { runId: string; jobId: string; owner: string; status: Exclude<RunStatus, 'reported'>; verification: unknown },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await finishJob(tx, input.jobId, input.owner, 'done'))) return false;
    await tx.checkRun.updateMany({
      where: { id: input.runId },
      data: { status: input.status, verification: asJson(input.verification)!, verifiedAt: new Date() },
    });
    return true;
  });
}

export async function getCheckRun(db: Db, id: string): Promise<CheckRunRecord | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.checkRun.findUnique({ where: { id }, select: runSelect });
  return row ? toRun(row) : null;
}

/** The newest stored runs of a version (optionally of one scenario), newest first, at most `take`. */
export async function listCheckRuns(db: Db, modelId: string, versionNumber: number, options: { scenario?: string; take?: number } = {}): Promise<CheckRunRecord[] | null> {
  const vid = await versionId(db, modelId, versionNumber);
  if (!vid) return null;
  const rows = await db.checkRun.findMany({
    where: { modelVersionId: vid, ...(options.scenario !== undefined ? { scenario: options.scenario } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: options.take ?? 100,
    select: runSelect,
  });
  return rows.map(toRun);
}

/** Creates a read-only link; null when the version (or the run, for that version) does not exist. */
export async function createShareLink(db: Db, input: ShareLinkInput): Promise<{ id: string } | null> {
  const vid = await versionId(db, input.modelId, input.versionNumber);
  if (!vid) return null;
  if (input.checkRunId !== undefined) {
    const run = ID_PATTERN.test(input.checkRunId)
      ? await db.checkRun.findUnique({ where: { id: input.checkRunId }, select: { modelVersionId: true } })
      : null;
    if (!run || run.modelVersionId !== vid) return null;
  }
  const id = newId(SHARE_ID_BYTES);
  await db.$transaction((tx) =>
    tx.shareLink.create({
      data: { id, author: input.author ?? '', modelVersionId: vid, checkRunId: input.checkRunId ?? null, scenario: input.scenario ?? null, step: input.step ?? null, threadId: input.threadId ?? null, readOnly: true },
    }),
  );
  return { id };
}

/** What a share link shows; null for an unknown (or malformed) id. */
export async function resolveShareLink(db: Db, id: string): Promise<SharedView | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.shareLink.findUnique({
    where: { id },
    select: {
      id: true,
      scenario: true,
      step: true,
      threadId: true,
      createdAt: true,
      modelVersion: { select: { modelId: true, number: true, document: true } },
      checkRun: { select: runSelect },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    readOnly: true,
    modelId: row.modelVersion.modelId,
    versionNumber: row.modelVersion.number,
    document: row.modelVersion.document as ModelDocument,
    scenario: row.scenario,
    step: row.step,
    checkRun: row.checkRun ? toRun(row.checkRun) : null,
    threadId: row.threadId,
    createdAt: row.createdAt.toISOString(),
  };
}
