/** The merge's public types: what lib/model/merge exports to the drafts and save-version code. */
import type { ModelDocument } from '../schema';

export interface MergeConflict {
  /** Stable key of the conflicting item/field, e.g. `operations/delete/steps/2/cond` (names, base step indexes). */
  id: string;
  /** What a person reads: `operation delete, step 3 (require): cond`. */
  where: string;
  /** Path in the merged document in the validation-issue format, e.g. `operations[1].steps[2].cond`; an item head removed is named by its base index. */
  path: string;
  /** Value at base (undefined = absent). */
  base: unknown;
  /** Value in the latest saved version (someone else's edit). */
  head: unknown;
  /** Value in this user's draft. */
  draft: unknown;
}

/**
 * An item renamed on either side (as merged). The other side's additions may
 * still use the old name: the caller can rewrite those references (e.g. with
 * lib/editor/rename.ts's fix*References) before validating.
 */
export type MergeRename =
  | { kind: 'state'; resource: string; from: string; to: string }
  | { kind: 'resource' | 'operation' | 'lock'; from: string; to: string };

export type MergeResult =
  | { ok: true; merged: ModelDocument; renames?: MergeRename[] }
  /** `merged` holds head's side at each conflict. */
  | { ok: false; merged: ModelDocument; conflicts: MergeConflict[]; renames?: MergeRename[] };

export type Resolution = { pick: 'base' | 'head' | 'draft' } | { value: unknown };
