/**
 * The models API, as plain functions from parsed input to Response. The route
 * handlers under app/api/models authorize the request (lib/server/authorize.ts)
 * and pass what it granted through; a write that names its workspace in the
 * body authorizes that workspace here, after reading the body.
 */
import { z } from 'zod';
import { validateModel, type ModelDocument } from '@/lib/model';
import * as repo from '@/lib/db/models';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues, type ApiIssue } from './http';
import { starterDocument } from './starter';
import { saveVersion as saveMergingVersion } from './save-version';
import { versionParam, VERSION_QUERY, VERSION_SEGMENT } from './version-param';
import { authorize, authorOf, type Granted } from './authorize';
import { tokenWorkspaces } from '@/lib/auth/bearer';
import { defaultWritableWorkspace, workspacesOf } from './workspaces';

// The author of a version is the signed-in account. Older clients still send a
// free-text `author`: it is accepted for compatibility and ignored.
const author = z.string().max(100, 'at most 100 characters').optional();
const workspaceId = z.string().min(1).max(64).optional();
const message = z.string().max(2000, 'at most 2000 characters').optional();

const createSchema = z
  .object({
    document: z.unknown().optional(),
    name: z.string().trim().min(1, 'a model needs a name').max(200).optional(),
    description: z.string().max(10_000).optional(),
    author,
    message,
    workspaceId,
  })
  .strict()
  .refine((b) => b.document !== undefined || b.name !== undefined, { message: 'give either a document or a name', path: ['name'] });

/** Validates a document; issue paths are prefixed with `prefix` (e.g. `document`) when it sits inside a request body. */
function checkDocument(value: unknown, prefix: string): { ok: true; value: ModelDocument } | { ok: false; response: Response } {
  if (value === undefined) return { ok: false, response: apiError(400, 'invalid request', [{ path: prefix, message: 'a model document is required' }]) };
  const result = validateModel(value);
  if (result.ok) return result;
  const issues = result.issues.map((i) => ({
    ...i,
    path: prefix ? (i.path ? (i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`) : prefix) : i.path,
  }));
  return { ok: false, response: apiError(400, 'the model document is invalid', issues) };
}

/** GET /api/models[?workspace=id]: the models of the caller's workspaces and the shipped examples (workspaceId null). */
export async function listModels(request: Request, granted: Granted): Promise<Response> {
  const only = new URL(request.url).searchParams.get('workspace');
  // An API token sees what it may act in (lib/auth/bearer.ts): a workspace token only its workspace.
  const mine = granted.actor.token ? await tokenWorkspaces(granted.actor) : await workspacesOf(granted.actor.userId);
  const ids = mine.map((w) => w.id);
  if (only !== null && !ids.includes(only)) return notFound('workspace');
  const db = await getDb();
  const models = await repo.listModels(db.prisma, only !== null ? { workspaceIds: [only], examples: false } : { workspaceIds: ids });
  return json({ models, workspaces: mine });
}

/**
 * Which workspace a new model goes to: the one named, if the caller may create
 * models there, else the caller's first writable workspace.
 */
async function targetWorkspace(request: Request, granted: Granted, named: string | undefined | null): Promise<{ ok: true; id: string } | { ok: false; response: Response }> {
  if (named) {
    const access = await authorize(request, 'workspace:create-model', { kind: 'workspace', id: named });
    return access.ok ? { ok: true, id: named } : { ok: false, response: access.response };
  }
  const fallback = await defaultWritableWorkspace(granted.actor.userId);
  if (!fallback) return { ok: false, response: apiError(403, 'you are not an editor in any workspace: ask an admin for an invitation, or create a workspace') };
  return { ok: true, id: fallback.id };
}

/** POST /api/models: `{ document, author?, message? }`, or `{ name, description? }` for a starter model. */
export async function createModel(request: Request, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = createSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  const doc = checkDocument(input.document ?? starterDocument(input.name!, input.description), input.document === undefined ? '' : 'document');
  if (!doc.ok) return doc.response;
  const target = await targetWorkspace(request, granted, input.workspaceId);
  if (!target.ok) return target.response;
  const db = await getDb();
  const model = await repo.createModel(db.prisma, { document: doc.value, ...authorOf(granted), workspaceId: target.id, message: input.message });
  return json({ model }, 201, { location: `/api/models/${model.id}` });
}

/** POST /api/models/import[?workspace=id]: the body is a model document (the file's contents). */
export async function importModel(request: Request, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const doc = checkDocument(body.value, '');
  if (!doc.ok) return doc.response;
  const target = await targetWorkspace(request, granted, new URL(request.url).searchParams.get('workspace'));
  if (!target.ok) return target.response;
  const db = await getDb();
  const model = await repo.createModel(db.prisma, { document: doc.value, ...authorOf(granted), workspaceId: target.id, message: 'Imported' });
  return json({ model }, 201, { location: `/api/models/${model.id}` });
}

export async function getModel(id: string): Promise<Response> {
  const db = await getDb();
  const model = await repo.getModel(db.prisma, id);
  return model ? json({ model }) : notFound('model');
}

export async function deleteModel(id: string): Promise<Response> {
  const db = await getDb();
  return (await repo.deleteModel(db.prisma, id)) ? new Response(null, { status: 204 }) : notFound('model');
}

export async function listVersions(id: string): Promise<Response> {
  const db = await getDb();
  const versions = await repo.listVersions(db.prisma, id);
  return versions ? json({ versions }) : notFound('model');
}

/** POST /api/models/:id/versions: `{ baseVersion, document, message?, resolutions? }`; a stale base merges three-way (lib/server/save-version.ts). */
export function saveVersion(request: Request, id: string, granted: Granted): Promise<Response> {
  return saveMergingVersion(request, id, granted);
}

export async function getVersion(id: string, rawNumber: string): Promise<Response> {
  const param = versionParam(rawNumber, VERSION_SEGMENT);
  if (!param.ok) return param.response;
  const db = await getDb();
  const version = await repo.getVersion(db.prisma, id, param.number);
  return version ? json({ version }) : notFound('version');
}

/** GET /api/models/:id/export[?version=N]: the document as a JSON file download. */
export async function exportModel(request: Request, id: string): Promise<Response> {
  const raw = new URL(request.url).searchParams.get('version');
  const db = await getDb();
  let version: repo.VersionRecord | null;
  if (raw === null) {
    version = (await repo.getModel(db.prisma, id))?.head ?? null;
  } else {
    const param = versionParam(raw, VERSION_QUERY);
    if (!param.ok) return param.response;
    version = await repo.getVersion(db.prisma, id, param.number);
  }
  if (!version) return notFound(raw === null ? 'model' : 'version');
  const slug = version.document.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model';
  return new Response(JSON.stringify(version.document, null, 2) + '\n', {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${slug}-v${version.number}.json"`,
      'cache-control': 'no-store',
    },
  });
}

const copySchema = z.object({ workspaceId, name: z.string().trim().min(1).max(200).optional() }).strict();

/** POST /api/models/:id/copy `{ workspaceId?, name? }`: "Use as template": the head version as version 1 of a new model in a workspace the caller edits. */
export async function copyModel(request: Request, id: string, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = copySchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const db = await getDb();
  const source = await repo.getModel(db.prisma, id);
  if (!source) return notFound('model');
  const target = await targetWorkspace(request, granted, parsed.data.workspaceId);
  if (!target.ok) return target.response;
  const document = { ...source.head.document, name: parsed.data.name ?? source.head.document.name };
  const model = await repo.createModel(db.prisma, {
    document,
    ...authorOf(granted),
    workspaceId: target.id,
    message: `From ${source.workspaceId === null ? 'the example' : 'the model'} "${source.name}" v${source.head.number}`,
  });
  return json({ model }, 201, { location: `/api/models/${model.id}` });
}
