/**
 * Drafts: one per (user, model), the editor's autosaved, unsaved work. A draft
 * is overwritten in place (it is not history); "Save version" turns it into a
 * version through lib/db/models.ts and then removes it.
 */
import type { Draft } from '@/lib/transport/drafts';
import type { Db } from './client';
import { newId, ID_PATTERN } from './ids';
import { canonicalOrder } from './canonical-order';

type DraftRow = { modelId: string; baseVersion: number; document: unknown; createdAt: Date; updatedAt: Date };

function toDraft(row: DraftRow): Draft {
  return {
    modelId: row.modelId,
    baseVersion: row.baseVersion,
    document: canonicalOrder(row.document),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const select = { modelId: true, baseVersion: true, document: true, createdAt: true, updatedAt: true } as const;

export async function getDraft(db: Db, userId: string, modelId: string): Promise<Draft | null> {
  if (!ID_PATTERN.test(modelId)) return null;
  const row = await db.draft.findUnique({ where: { userId_modelId: { userId, modelId } }, select });
  return row ? toDraft(row) : null;
}

/** Creates or replaces the user's draft of the model. */
export async function putDraft(db: Db, userId: string, modelId: string, input: { baseVersion: number; document: unknown }): Promise<Draft> {
  const now = new Date();
  const write = () =>
    db.draft.upsert({
      where: { userId_modelId: { userId, modelId } },
      create: { id: newId(), userId, modelId, baseVersion: input.baseVersion, document: input.document as object, createdAt: now, updatedAt: now },
      update: { baseVersion: input.baseVersion, document: input.document as object, updatedAt: now },
      select,
    });
  try {
    return toDraft(await write());
  } catch (error) {
    // Two first writes at once (two tabs): one creates, the other's insert hits the unique index; it updates instead.
    if ((error as { code?: unknown })?.code !== 'P2002') throw error;
    return toDraft(await write());
  }
}

/** Removes the user's draft of the model; false if there was none. */
export async function deleteDraft(db: Db, userId: string, modelId: string): Promise<boolean> {
  if (!ID_PATTERN.test(modelId)) return false;
  const { count } = await db.draft.deleteMany({ where: { userId, modelId } });
  return count === 1;
}

/**
 * Removes the draft only if it still holds `document` (compared as canonical
 * JSON): after a save, edits made while the save was in flight stay.
 */
export async function deleteDraftIfUnchanged(db: Db, userId: string, modelId: string, document: unknown): Promise<void> {
  const draft = await getDraft(db, userId, modelId);
  if (!draft) return;
  if (JSON.stringify(draft.document) !== JSON.stringify(canonicalOrder(document))) return;
  await db.draft.deleteMany({ where: { userId, modelId, updatedAt: new Date(draft.updatedAt) } });
}
