/**
 * The drafts API: each editor's unsaved work on a model, one per (account,
 * model), kept on the server so that it survives reloads and follows the user
 * to another device. Route handlers (app/api/models/[id]/draft) authorize
 * `model:write` first: editors and up have drafts, viewers do not.
 *
 * A draft is not validated (it may be half-edited), only bounded: the body
 * limit of every request, and the model document's shape limits (depth, list
 * length, value count) so that merging or validating it later stays cheap.
 */
import { z } from 'zod';
import { nestingIssues } from '@/lib/model/nesting';
import * as drafts from '@/lib/db/drafts';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues } from './http';
import type { Granted } from './authorize';

const putSchema = z
  .object({
    baseVersion: z.number().int('must be a whole number').min(1, 'must be at least 1').max(2 ** 31 - 2),
    document: z.unknown(),
  })
  .strict();

/** Drafts belong to a person editing in the browser; API tokens save versions instead. */
function refuseToken(granted: Granted): Response | null {
  return granted.actor.token
    ? apiError(403, 'an API token has no drafts: save a version with POST /api/models/:id/versions')
    : null;
}

/** Why `document` cannot be kept as a draft (not a JSON object, or beyond the document limits); null when it can. */
export function draftDocumentIssues(document: unknown): { path: string; message: string; code?: string }[] {
  if (document === undefined) return [{ path: 'document', message: 'a model document is required' }];
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return [{ path: 'document', message: 'must be a JSON object (a model document, possibly unfinished)' }];
  }
  return nestingIssues(document).map((i) => ({ ...i, path: i.path ? (i.path.startsWith('[') ? `document${i.path}` : `document.${i.path}`) : 'document' }));
}

/** GET /api/models/:id/draft → `{ draft: Draft | null }` (the caller's own; nobody sees another's). */
export async function getDraft(id: string, granted: Granted): Promise<Response> {
  const refused = refuseToken(granted);
  if (refused) return refused;
  const db = await getDb();
  return json({ draft: await drafts.getDraft(db.prisma, granted.actor.userId, id) });
}

/** PUT /api/models/:id/draft `{ baseVersion, document }` → `{ draft }`. */
export async function putDraft(request: Request, id: string, granted: Granted): Promise<Response> {
  const refused = refuseToken(granted);
  if (refused) return refused;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = putSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const issues = draftDocumentIssues(parsed.data.document);
  if (issues.length > 0) return apiError(400, 'the draft cannot be stored', issues);
  const db = await getDb();
  const model = await db.prisma.model.findUnique({ where: { id }, select: { headNumber: true } });
  if (!model) return notFound('model');
  if (parsed.data.baseVersion > model.headNumber) {
    return apiError(400, 'invalid request', [{ path: 'baseVersion', message: `there is no version ${parsed.data.baseVersion}: the latest is ${model.headNumber}` }]);
  }
  const draft = await drafts.putDraft(db.prisma, granted.actor.userId, id, { baseVersion: parsed.data.baseVersion, document: parsed.data.document });
  return json({ draft });
}

/** DELETE /api/models/:id/draft → 204 (also when there was none: discarding is idempotent). */
export async function deleteDraft(id: string, granted: Granted): Promise<Response> {
  const refused = refuseToken(granted);
  if (refused) return refused;
  const db = await getDb();
  await drafts.deleteDraft(db.prisma, granted.actor.userId, id);
  return new Response(null, { status: 204 });
}
