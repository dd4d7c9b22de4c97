/**
 * GET endpoints for generated code: a model's latest or numbered version, all
 * files as a zip or one file, so a service's build can fetch them. Plain
 * functions from (db, id, version, file) to Response; the routes under
 * app/api/models/[id]/…/export/code only pass params through.
 */
import { analyzeModel } from '@/lib/model';
import * as repo from '@/lib/db/models';
import type { Db } from '@/lib/db/client';
import { CodegenError, generate, GENERATED_PATHS, type GeneratedFile } from '@/lib/codegen';
import { slug, zipFiles } from '@/lib/codegen/zip';
import { fnv1a64 } from '@/lib/codegen/hash';
import { apiError, notFound } from './http';
import { badVersionNumber, VERSION_QUERY, VERSION_SEGMENT } from './version-param';
import { parseVersionNumber } from '@/lib/model/version-number';

export type VersionRef = { kind: 'latest' } | { kind: 'number'; raw: string };

/** `?version=N` on the latest-version URLs; null when absent, 'bad' when not a version number. */
export function versionFromQuery(request: Request): VersionRef | 'bad' {
  const raw = new URL(request.url).searchParams.get('version');
  if (raw === null) return { kind: 'latest' };
  return parseVersionNumber(raw) === null ? 'bad' : { kind: 'number', raw };
}

type Generated = { ok: true; files: GeneratedFile[]; version: repo.VersionRecord } | { ok: false; response: Response };

/** `?scenario=NAME`: lock policies as that scenario checks them. */
function scenarioOf(request: Request): string | undefined {
  return new URL(request.url).searchParams.get('scenario') ?? undefined;
}

async function generatedFor(db: Db, request: Request, id: string, ref: VersionRef | 'bad'): Promise<Generated> {
  if (ref === 'bad') return { ok: false, response: badVersionNumber(VERSION_QUERY) };
  let version: repo.VersionRecord | null;
  if (ref.kind === 'latest') version = (await repo.getModel(db, id))?.head ?? null;
  else {
    // Only the URL segment reaches here unparsed: versionFromQuery already refused a bad ?version=.
    const n = parseVersionNumber(ref.raw);
    if (n === null) return { ok: false, response: badVersionNumber(VERSION_SEGMENT) };
    version = await repo.getVersion(db, id, n);
  }
  if (!version) return { ok: false, response: notFound(ref.kind === 'latest' ? 'model' : 'version') };
  const analyzed = analyzeModel(version.document);
  if (!analyzed.ok) return { ok: false, response: apiError(422, `version ${version.number} is not a valid model`, analyzed.issues) };
  try {
    const scenario = scenarioOf(request);
    return { ok: true, files: generate(analyzed.value, { version: version.number, ...(scenario !== undefined ? { scenario } : {}) }), version };
  } catch (error) {
    if (error instanceof CodegenError) {
      return { ok: false, response: apiError(422, `cannot generate code for version ${version.number}`, error.issues) };
    }
    throw error;
  }
}

function etagOf(bytes: string | Uint8Array): string {
  const text = typeof bytes === 'string' ? bytes : Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  return `"${fnv1a64(text)}"`;
}

function respond(request: Request, files: readonly GeneratedFile[], body: string | Uint8Array, headers: Record<string, string>): Response {
  const etag = etagOf(body);
  // The files of this export: the model's, then the runtime files it uses.
  const common = { etag, 'cache-control': 'no-cache', 'x-lockstep-files': files.map((f) => f.path).join(',') };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: common });
  const payload = typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
  return new Response(payload, { headers: { ...headers, ...common } });
}

/** GET …/export/code[?scenario=NAME]: every generated file in one zip. */
export async function codeZip(db: Db, request: Request, id: string, ref: VersionRef | 'bad'): Promise<Response> {
  const g = await generatedFor(db, request, id, ref);
  if (!g.ok) return g.response;
  const folder = `${slug(g.version.document.name)}-v${g.version.number}`;
  return respond(request, g.files, zipFiles(g.files, folder), {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${folder}-code.zip"`,
  });
}

/** GET …/export/code/:file: one generated file, as text. */
export async function codeFile(db: Db, request: Request, id: string, ref: VersionRef | 'bad', file: string): Promise<Response> {
  if (!GENERATED_PATHS.includes(file)) {
    return apiError(404, `no generated file '${file}'`, [{ path: 'file', message: `one of ${GENERATED_PATHS.join(', ')}` }]);
  }
  const g = await generatedFor(db, request, id, ref);
  if (!g.ok) return g.response;
  // Runtime files come only when the model uses them (no lock runtime without locks).
  const found = g.files.find((f) => f.path === file);
  if (!found) {
    const listed = g.files.map((f) => f.path).join(', ');
    return apiError(404, `version ${g.version.number} does not use '${file}'`, [{ path: 'file', message: `one of ${listed}` }]);
  }
  return respond(request, g.files, found.content, {
    'content-type': file.endsWith('.md') ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-disposition': `inline; filename="${file.slice(file.lastIndexOf('/') + 1)}"`,
  });
}
