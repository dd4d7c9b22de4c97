/**
 * POST /api/models/:id/versions: saving the next version, merging three-way
 * when the save is based on a version that is no longer the head.
 *
 * - base = head → the document becomes the next version (201).
 * - base older than head → mergeModels(base, head, document):
 *   clean and valid → the merged document is saved on top of head
 *   (201, `merged: true`, `mergedWith` = the head it was merged with);
 *   conflicts → 409 with each conflict (base, head, draft sides) and nothing
 *   saved; the client answers with `resolutions` (and `headVersion`, the head
 *   it saw) to finish; merged but invalid → 422 with the issues and the merged
 *   document, nothing saved.
 * - a head that moves while we merge: merge again on the new head (bounded).
 * A successful save removes the saver's draft of the model if it still holds
 * the document sent (edits made meanwhile stay).
 */
import { z } from 'zod';
import { validateModel, type ModelDocument } from '@/lib/model';
import * as repo from '@/lib/db/models';
import { deleteDraftIfUnchanged } from '@/lib/db/drafts';
import { canonicalOrder } from '@/lib/db/canonical-order';
import type { HeadSummary } from '@/lib/transport/drafts';
import { mergeModels, resolveMerge, type MergeRename, type Resolution } from '@/lib/model/merge';
import { fixLockReferences, fixOperationReferences, fixResourceReferences, fixStateReferences } from '@/lib/editor/rename';
import { unreachable } from '@/lib/model/walk';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues, type ApiIssue } from './http';
import { authorOf, type Granted } from './authorize';

const versionNumber = z.number().int('must be a whole number').min(1, 'must be at least 1').max(2 ** 31 - 2);
const resolution: z.ZodType<Resolution> = z.union([
  z.object({ pick: z.enum(['base', 'head', 'draft']) }).strict(),
  z.object({ value: z.unknown() }).strict(),
]) as z.ZodType<Resolution>;

const saveSchema = z
  .object({
    baseVersion: versionNumber,
    document: z.unknown(),
    // Older clients still send a free-text `author`: accepted and ignored (the signed-in account is the author).
    author: z.string().max(100, 'at most 100 characters').optional(),
    message: z.string().max(2000, 'at most 2000 characters').optional(),
    resolutions: z.record(z.string().max(1000), resolution).optional(),
    headVersion: versionNumber.optional(),
  })
  .strict();

/** A head moving between our read and our write is retried this many times before the client is told. */
const MERGE_ATTEMPTS = 5;

const summary = (v: repo.VersionRecord): HeadSummary => ({ number: v.number, author: v.author, message: v.message, createdAt: v.createdAt, basedOn: v.basedOn });

function prefixed(issues: ApiIssue[], prefix: string): ApiIssue[] {
  return issues.map((i) => ({ ...i, path: i.path ? (i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`) : prefix }));
}

/**
 * The merged document, validated. When one side renamed a state, resource,
 * operation or lock and the other side's additions still use the old name, the
 * merge is invalid as it stands; rewriting those references the way the editor
 * does on a rename makes it what both people meant, so that is tried second.
 */
function validateFollowingRenames(doc: ModelDocument, renames: MergeRename[] | undefined): ReturnType<typeof validateModel> {
  const asMerged = validateModel(doc);
  if (asMerged.ok || !renames?.length) return asMerged;
  const followed = renames.reduce((d, r) => {
    switch (r.kind) {
      case 'state':
        return fixStateReferences(d, r.resource, r.from, r.to);
      case 'resource':
        return fixResourceReferences(d, r.from, r.to);
      case 'operation':
        return fixOperationReferences(d, r.from, r.to);
      case 'lock':
        return fixLockReferences(d, r.from, r.to);
      default:
        return unreachable(r, 'rename');
    }
  }, doc);
  const afterRenames = validateModel(followed);
  return afterRenames.ok ? afterRenames : asMerged;
}

export async function saveVersion(request: Request, id: string, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = saveSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  if (input.document === undefined) return apiError(400, 'invalid request', [{ path: 'document', message: 'a model document is required' }]);
  const valid = validateModel(input.document);
  if (!valid.ok) return apiError(400, 'the model document is invalid', prefixed(valid.issues, 'document'));
  const draft = valid.value;

  const db = await getDb();
  const who = authorOf(granted);
  const done = async (version: repo.VersionRecord, mergedWith: repo.VersionRecord | null) => {
    if (!granted.actor.token) await deleteDraftIfUnchanged(db.prisma, granted.actor.userId, id, input.document);
    return json({ version, merged: mergedWith !== null, ...(mergedWith ? { mergedWith: summary(mergedWith) } : {}) }, 201, {
      location: `/api/models/${id}/versions/${version.number}`,
    });
  };

  let base: repo.VersionRecord | null = null;
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const model = await repo.getModel(db.prisma, id);
    if (!model) return notFound('model');
    const head = model.head;
    if (input.baseVersion > head.number) {
      return apiError(409, `there is no version ${input.baseVersion}: the latest is ${head.number}`, [{ path: 'baseVersion', message: `the latest version is ${head.number}` }], { head });
    }
    if (input.baseVersion === head.number) {
      const saved = await repo.saveVersion(db.prisma, id, head.number, { document: draft, ...who, message: input.message });
      if (saved.ok) return done(saved.version, null);
      if (saved.reason === 'not-found') return notFound('model');
      // Someone saved first. A plain save (no merge yet) keeps the old, strict answer for API clients
      // racing on one base: 409 with the head, unless the edits merge by themselves (tried below).
      continue;
    }

    base ??= await repo.getVersion(db.prisma, id, input.baseVersion);
    if (!base) return apiError(400, 'invalid request', [{ path: 'baseVersion', message: `there is no version ${input.baseVersion}` }]);
    // Resolutions answer the conflicts against one head: against a newer one they would pick sides the user never saw.
    const resolutions = input.resolutions && (input.headVersion === undefined || input.headVersion === head.number) ? input.resolutions : undefined;
    const result = resolutions ? resolveMerge(base.document, head.document, draft, resolutions) : mergeModels(base.document, head.document, draft);
    if (!result.ok) {
      return apiError(
        409,
        `version ${input.baseVersion} is not the latest: version ${head.number} was saved by ${head.author}, and ${result.conflicts.length === 1 ? 'one change conflicts' : `${result.conflicts.length} changes conflict`} with yours`,
        [{ path: 'baseVersion', message: `the latest version is ${head.number}` }, ...result.conflicts.map((c) => ({ path: c.path, message: `changed in version ${head.number} and in your draft: ${c.where}`, code: 'conflict' }))],
        { conflicts: result.conflicts, head, baseVersion: input.baseVersion, merged: result.merged },
      );
    }
    const merged = validateFollowingRenames(result.merged, result.renames);
    if (!merged.ok) {
      return apiError(
        422,
        `merged with version ${head.number} (by ${head.author}), but the result is not a valid model: nothing was saved`,
        merged.issues,
        { head, baseVersion: input.baseVersion, merged: result.merged },
      );
    }
    if (JSON.stringify(canonicalOrder(merged.value)) === JSON.stringify(canonicalOrder(head.document))) {
      // Everything in the draft is already in the head (the same edit made twice): no empty version.
      if (!granted.actor.token) await deleteDraftIfUnchanged(db.prisma, granted.actor.userId, id, input.document);
      return json({ version: head, merged: true, mergedWith: summary(head), unchanged: true });
    }
    const saved = await repo.saveVersion(db.prisma, id, head.number, { document: merged.value, ...who, message: input.message });
    if (saved.ok) return done(saved.version, head);
    if (saved.reason === 'not-found') return notFound('model');
    // The head moved again while we merged: merge on the newer head.
  }
  const model = await repo.getModel(db.prisma, id);
  if (!model) return notFound('model');
  return apiError(409, `version ${input.baseVersion} is not the latest: the model is being saved by others right now; try again`, [{ path: 'baseVersion', message: `the latest version is ${model.head.number}` }], { head: model.head, conflicts: [], baseVersion: input.baseVersion });
}
