/**
 * Check runs and share links. A check run is stored with the exact model
 * version, scenario, options, verdict, statistics and trace it produced, so a
 * shared link always shows what was checked. A share link is an unguessable
 * id (192 random bits) that resolves to a version, and optionally a run and a
 * step in its trace; it is read-only by construction (nothing writes through it).
 */
import type { ModelDocument } from '@/lib/model';
import type { Db } from './client';
import { newId, ID_PATTERN } from './ids';

export type Verdict = 'pass' | 'violation' | 'incomplete';

export interface CheckRunInput {
  modelId: string;
  versionNumber: number;
  scenario: string;
  options: unknown;
  verdict: Verdict;
  stats: unknown;
  trace?: unknown;
}

export interface CheckRunRecord {
  id: string;
  modelId: string;
  versionNumber: number;
  scenario: string;
  options: unknown;
  verdict: Verdict;
  stats: unknown;
  trace: unknown;
  createdAt: string;
}

export interface ShareLinkInput {
  modelId: string;
  versionNumber: number;
  checkRunId?: string;
  scenario?: string;
  step?: number;
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
  createdAt: true,
  modelVersion: { select: { modelId: true, number: true } },
} as const;

function toRun(row: RunRow): CheckRunRecord {
  return {
    id: row.id,
    modelId: row.modelVersion.modelId,
    versionNumber: row.modelVersion.number,
    scenario: row.scenario,
    options: row.options,
    verdict: row.verdict as Verdict,
    stats: row.stats,
    trace: row.trace ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Stores a finished check run; null when the model version does not exist. */
export async function recordCheckRun(db: Db, input: CheckRunInput): Promise<CheckRunRecord | null> {
  const vid = await versionId(db, input.modelId, input.versionNumber);
  if (!vid) return null;
  const row = await db.$transaction((tx) =>
    tx.checkRun.create({
      data: {
        id: newId(),
        modelVersionId: vid,
        scenario: input.scenario,
        options: asJson(input.options ?? {})!,
        verdict: input.verdict,
        stats: asJson(input.stats ?? {})!,
        trace: asJson(input.trace),
      },
      select: runSelect,
    }),
  );
  return toRun(row);
}

export async function getCheckRun(db: Db, id: string): Promise<CheckRunRecord | null> {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db.checkRun.findUnique({ where: { id }, select: runSelect });
  return row ? toRun(row) : null;
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
      data: { id, modelVersionId: vid, checkRunId: input.checkRunId ?? null, scenario: input.scenario ?? null, step: input.step ?? null, readOnly: true },
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
    createdAt: row.createdAt.toISOString(),
  };
}
