/**
 * Three-way merge of model documents (base, head = the latest saved version,
 * draft = this user's edits), over the document's structure. Pure: runs in
 * the browser and on the server. The caller validates the merged document.
 */
import type { ModelDocument } from '../schema';
import { renamesIn } from './renames';
import { documentShape } from './shape';
import { ThreeWayMerge } from './three-way';
import type { MergeConflict, MergeResult, Resolution } from './types';

export type { MergeConflict, MergeRename, MergeResult, Resolution } from './types';

export function mergeModels(base: ModelDocument, head: ModelDocument, draft: ModelDocument): MergeResult {
  return resolveMerge(base, head, draft, {});
}

/** The merge with each conflict whose id has a resolution settled by it; ok once every conflict has one. */
export function resolveMerge(
  base: ModelDocument,
  head: ModelDocument,
  draft: ModelDocument,
  resolutions: Record<string, Resolution>,
): MergeResult {
  const engine = new ThreeWayMerge(resolutions);
  const merged = engine.merge(documentShape, base, head, draft) as ModelDocument;
  const conflicts: MergeConflict[] = engine.conflicts;
  const renames = renamesIn(base, [head, draft], merged);
  const extra = renames.length ? { renames } : {};
  return conflicts.length === 0 ? { ok: true, merged, ...extra } : { ok: false, merged, conflicts, ...extra };
}
