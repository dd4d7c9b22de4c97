/**
 * The model repository: models with immutable, numbered versions.
 *
 * Every write runs in a transaction. A save is a test-and-set on the model's
 * `headNumber` (`UPDATE … WHERE id = ? AND headNumber = base`): of many saves
 * based on the same version exactly one changes the row, the others change
 * nothing and get a conflict with the current head. The unique index on
 * (modelId, number) is a second line of defence: a duplicate number can never
 * be stored even if the head were bypassed.
 */
import type { ModelDocument } from '@/lib/model';
import type { ModelSummary, ModelWithHead, VersionRecord, VersionSummary } from '@/lib/transport/models';
import type { Db } from './client';
import { newId, ID_PATTERN } from './ids';
import { canonicalOrder } from './canonical-order';

// The shapes that cross HTTP live in lib/transport (client components import them from there).
export type { ModelSummary, ModelWithHead, VersionRecord, VersionSummary } from '@/lib/transport/models';

export interface NewVersionInput {
  document: ModelDocument;
  /** The saving account's display name, kept with the version. */
  author?: string;
  /** The saving account's id. */
  authorId?: string | null;
  message?: string;
}

export interface NewModelInput extends NewVersionInput {
  /** The workspace the model belongs to; none (null) only for the shipped examples, which nobody edits. */
  workspaceId?: string | null;
}

export type SaveResult =
  | { ok: true; version: VersionRecord }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; head: VersionRecord };

/** Interactive transactions may queue behind each other under load: allow for it. */
const TX = { maxWait: 30_000, timeout: 30_000 } as const;
export const DEFAULT_AUTHOR = 'anonymous';

type VersionRow = {
  modelId: string;
  number: number;
  document: unknown;
  author: string;
  message: string;
  createdAt: Date;
  basedOn: number | null;
};

function toVersion(row: VersionRow): VersionRecord {
  return {
    modelId: row.modelId,
    number: row.number,
    // jsonb (PostgreSQL) and SQLite keep keys in different orders: serve one.
    document: canonicalOrder(row.document) as ModelDocument,
    author: row.author,
    message: row.message,
    createdAt: row.createdAt.toISOString(),
    basedOn: row.basedOn,
  };
}

function toSummary(row: {
  id: string;
  name: string;
  description: string;
  headNumber: number;
  workspaceId: string | null;
  createdAt: Date;
  updatedAt: Date;
  _count: { versions: number };
}): ModelSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    headNumber: row.headNumber,
    versionCount: row._count.versions,
    workspaceId: row.workspaceId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const summarySelect = {
  id: true,
  name: true,
  description: true,
  headNumber: true,
  workspaceId: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { versions: true } },
} as const;

const cleanAuthor = (author: string | undefined) => author?.trim() || DEFAULT_AUTHOR;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * Models, newest first. With `scope`, only the models of those workspaces and
 * (unless `examples` is false) the shipped examples; without it, every model.
 */
export async function listModels(db: Db, scope?: { workspaceIds: string[]; examples?: boolean }): Promise<ModelSummary[]> {
  const where = scope
    ? { OR: [{ workspaceId: { in: scope.workspaceIds } }, ...(scope.examples === false ? [] : [{ workspaceId: null }])] }
    : undefined;
  const rows = await db.model.findMany({ where, select: summarySelect, orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }] });
  return rows.map(toSummary);
}

/** Creates a model whose version 1 is `input.document`, in `input.workspaceId`. */
export async function createModel(db: Db, input: NewModelInput): Promise<ModelWithHead> {
  const id = newId();
  const now = new Date();
  const author = cleanAuthor(input.author);
  await db.$transaction(async (tx) => {
    await tx.model.create({
      data: {
        id,
        name: input.document.name,
        description: input.document.description ?? '',
        headNumber: 1,
        workspaceId: input.workspaceId ?? null,
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.modelVersion.create({
      data: {
        id: newId(),
        modelId: id,
        number: 1,
        document: input.document as object,
        author,
        authorId: input.authorId ?? null,
        message: input.message?.trim() || 'Created',
        createdAt: now,
        basedOn: null,
      },
    });
  }, TX);
  const model = await getModel(db, id);
  if (!model) throw new Error(`model ${id} vanished right after it was created`);
  return model;
}

export async function getModel(db: Db, id: string): Promise<ModelWithHead | null> {
  if (!ID_PATTERN.test(id)) return null;
  // The head is read as "the newest stored version" rather than by headNumber:
  // on SQLite a read can interleave with a save's transaction on the same
  // connection and see the bumped headNumber before the version row exists.
  const row = await db.model.findUnique({
    where: { id },
    select: { ...summarySelect, versions: { orderBy: { number: 'desc' }, take: 1 } },
  });
  const head = row?.versions[0];
  if (!row || !head) return null;
  return { ...toSummary(row), headNumber: head.number, head: toVersion(head) };
}

/**
 * Saves `input.document` as the version after `baseNumber`. Refused with the
 * current head when `baseNumber` is not the head any more (or never was).
 */
export async function saveVersion(db: Db, id: string, baseNumber: number, input: NewVersionInput): Promise<SaveResult> {
  if (!ID_PATTERN.test(id)) return { ok: false, reason: 'not-found' };
  const now = new Date();
  let saved: VersionRow | null = null;
  try {
    saved = await db.$transaction(async (tx) => {
      const changed = await tx.model.updateMany({
        where: { id, headNumber: baseNumber },
        data: {
          headNumber: baseNumber + 1,
          name: input.document.name,
          description: input.document.description ?? '',
          updatedAt: now,
        },
      });
      if (changed.count !== 1) return null; // someone else saved first (or no such model): nothing written
      return tx.modelVersion.create({
        data: {
          id: newId(),
          modelId: id,
          number: baseNumber + 1,
          document: input.document as object,
          author: cleanAuthor(input.author),
          authorId: input.authorId ?? null,
          message: input.message?.trim() ?? '',
          createdAt: now,
          basedOn: baseNumber,
        },
      });
    }, TX);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    saved = null; // the (modelId, number) index caught a duplicate: the transaction rolled back
  }
  if (saved) return { ok: true, version: toVersion(saved) };
  const current = await getModel(db, id);
  if (!current) return { ok: false, reason: 'not-found' };
  return { ok: false, reason: 'conflict', head: current.head };
}

/** Deletes a model with all its versions, check runs and share links. False if there was none. */
export async function deleteModel(db: Db, id: string): Promise<boolean> {
  if (!ID_PATTERN.test(id)) return false;
  const { count } = await db.$transaction((tx) => tx.model.deleteMany({ where: { id } }), TX);
  return count === 1;
}

/** Versions of a model, newest first; null when the model does not exist. */
export async function listVersions(db: Db, id: string): Promise<VersionSummary[] | null> {
  if (!ID_PATTERN.test(id)) return null;
  const model = await db.model.findUnique({
    where: { id },
    select: {
      versions: {
        select: { number: true, author: true, message: true, createdAt: true, basedOn: true },
        orderBy: { number: 'desc' },
      },
    },
  });
  if (!model) return null;
  return model.versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() }));
}

export async function getVersion(db: Db, id: string, number: number): Promise<VersionRecord | null> {
  if (!ID_PATTERN.test(id) || !Number.isSafeInteger(number) || number < 1) return null;
  const row = await db.modelVersion.findUnique({ where: { modelId_number: { modelId: id, number } } });
  return row ? toVersion(row) : null;
}
