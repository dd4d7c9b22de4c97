/**
 * Three-way merge of model documents (base, head = the latest saved version,
 * draft = this user's edits), over the document's structure. Pure: runs in
 * the browser and on the server. The caller validates the merged document.
 */
import type { ModelDocument } from '../schema';
import { documentShape } from './shape';
import { ThreeWayMerge } from './three-way';
import type { MergeConflict, MergeRename, MergeResult, Resolution } from './types';

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
  const renames = referencedRenames(engine.renames);
  const extra = renames.length ? { renames } : {};
  return conflicts.length === 0 ? { ok: true, merged, ...extra } : { ok: false, merged, conflicts, ...extra };
}

/** The renames other parts of a model refer to, with a state's resource under its merged name. */
function referencedRenames(renames: ReadonlyArray<{ list: string; from: string; to: string }>): MergeRename[] {
  const resourceName = new Map(renames.filter((r) => r.list === 'resources').map((r) => [r.from, r.to]));
  const out: MergeRename[] = [];
  for (const { list, from, to } of renames) {
    const [top, resource, sub] = list.split('/');
    if (top === 'resources' && resource === undefined) out.push({ kind: 'resource', from, to });
    else if (top === 'resources' && sub === 'states') out.push({ kind: 'state', resource: resourceName.get(resource) ?? resource, from, to });
    else if (top === 'operations' && resource === undefined) out.push({ kind: 'operation', from, to });
    else if (top === 'locks' && resource === undefined) out.push({ kind: 'lock', from, to });
  }
  return out;
}
