/**
 * The models API, as plain functions from parsed input to Response. The route
 * handlers under app/api/models only pick these and pass params through.
 */
import { z } from 'zod';
import { formatPath, validateModel, type ModelDocument } from '@/lib/model';
import * as repo from '@/lib/db/models';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, type ApiIssue } from './http';
import { starterDocument } from './starter';

const author = z.string().max(100, 'at most 100 characters').optional();
const message = z.string().max(2000, 'at most 2000 characters').optional();

const createSchema = z
  .object({
    document: z.unknown().optional(),
    name: z.string().trim().min(1, 'a model needs a name').max(200).optional(),
    description: z.string().max(10_000).optional(),
    author,
    message,
  })
  .strict()
  .refine((b) => b.document !== undefined || b.name !== undefined, { message: 'give either a document or a name', path: ['name'] });

const saveSchema = z
  .object({
    baseVersion: z.number().int('must be a whole number').min(1, 'must be at least 1').max(2 ** 31 - 2),
    document: z.unknown(),
    author,
    message,
  })
  .strict();

function zodIssues(error: z.ZodError): ApiIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

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

function parseVersionNumber(raw: string | null): number | null {
  if (raw === null || !/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2 ** 31 - 1 ? n : null;
}

export async function listModels(): Promise<Response> {
  const db = await getDb();
  return json({ models: await repo.listModels(db.prisma) });
}

/** POST /api/models: `{ document, author?, message? }`, or `{ name, description? }` for a starter model. */
export async function createModel(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = createSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  const doc = checkDocument(input.document ?? starterDocument(input.name!, input.description), input.document === undefined ? '' : 'document');
  if (!doc.ok) return doc.response;
  const db = await getDb();
  const model = await repo.createModel(db.prisma, { document: doc.value, author: input.author, message: input.message });
  return json({ model }, 201, { location: `/api/models/${model.id}` });
}

/** POST /api/models/import: the body is a model document (the file's contents). */
export async function importModel(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const doc = checkDocument(body.value, '');
  if (!doc.ok) return doc.response;
  const url = new URL(request.url);
  const db = await getDb();
  const model = await repo.createModel(db.prisma, {
    document: doc.value,
    author: url.searchParams.get('author')?.slice(0, 100) ?? undefined,
    message: 'Imported',
  });
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

/** POST /api/models/:id/versions: `{ baseVersion, document, author?, message? }` → 201, 409 with the head when stale. */
export async function saveVersion(request: Request, id: string): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = saveSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const doc = checkDocument(parsed.data.document, 'document');
  if (!doc.ok) return doc.response;
  const db = await getDb();
  const result = await repo.saveVersion(db.prisma, id, parsed.data.baseVersion, {
    document: doc.value,
    author: parsed.data.author,
    message: parsed.data.message,
  });
  if (result.ok) return json({ version: result.version }, 201, { location: `/api/models/${id}/versions/${result.version.number}` });
  if (result.reason === 'not-found') return notFound('model');
  return apiError(
    409,
    `version ${parsed.data.baseVersion} is not the latest: version ${result.head.number} was saved by ${result.head.author}`,
    [{ path: 'baseVersion', message: `the latest version is ${result.head.number}` }],
    { head: result.head },
  );
}

export async function getVersion(id: string, rawNumber: string): Promise<Response> {
  const number = parseVersionNumber(rawNumber);
  if (number === null) return notFound('version');
  const db = await getDb();
  const version = await repo.getVersion(db.prisma, id, number);
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
    const number = parseVersionNumber(raw);
    if (number === null) return apiError(400, 'invalid request', [{ path: 'version', message: 'must be a positive whole number' }]);
    version = await repo.getVersion(db.prisma, id, number);
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
