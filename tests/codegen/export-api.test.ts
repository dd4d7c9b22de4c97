/**
 * The generated-code endpoints: directly against a real database (SQLite and
 * PostgreSQL), and over HTTP when `npm test` runs the app servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { createModel, saveVersion } from '@/lib/db/models';
import { analyzeModel, type ModelDocument } from '@/lib/model';
import { generate } from '@/lib/codegen';
import { codeFile, codeZip } from '@/lib/server/code-export';
import { freshDb, providers, type TestDb } from '../helpers/db';
import { apiSession } from '../helpers/api-session';
import { ROOT } from './helpers';

const shareDoc = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'share-delete-vs-snapshot.json'), 'utf8')) as ModelDocument;
const expected = (doc: ModelDocument, version: number) => {
  const a = analyzeModel(doc);
  if (!a.ok) throw new Error('invalid');
  return generate(a.value, { version });
};
const get = (url = 'http://x/') => new Request(url);

describe.each(providers)('code export on %s', (provider) => {
  let db: TestDb;
  let id: string;
  const v2doc: ModelDocument = { ...shareDoc, description: 'second version' };
  beforeAll(async () => {
    db = await freshDb(provider);
    const model = await createModel(db.prisma, { document: shareDoc });
    id = model.id;
    const saved = await saveVersion(db.prisma, id, 1, { document: v2doc });
    if (!saved.ok) throw new Error('save failed');
  }, 60_000);
  afterAll(async () => db?.cleanup());

  it('zips the latest version: every file, exactly as generated, under a named folder', async () => {
    const res = await codeZip(db.prisma, get(), id, { kind: 'latest' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="share-delete-vs-snapshot-v2-code.zip"');
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const files = expected(v2doc, 2);
    expect(Object.keys(entries).sort()).toEqual(files.map((f) => `share-delete-vs-snapshot-v2/${f.path}`).sort());
    for (const f of files) expect(strFromU8(entries[`share-delete-vs-snapshot-v2/${f.path}`]!)).toBe(f.content);
  });

  it('serves one file of a numbered version, with a stable ETag and 304 on a match', async () => {
    const res = await codeFile(db.prisma, get(), id, { kind: 'number', raw: '1' }, 'guards.ts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    expect(text).toBe(expected(shareDoc, 1).find((f) => f.path === 'guards.ts')!.content);
    expect(text).toContain('version 1.');
    const etag = res.headers.get('etag')!;
    const again = await codeFile(db.prisma, new Request('http://x/', { headers: { 'if-none-match': etag } }), id, { kind: 'number', raw: '1' }, 'guards.ts');
    expect(again.status).toBe(304);
    const md = await codeFile(db.prisma, get(), id, { kind: 'latest' }, 'diagram.md');
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  });

  it('serves the runtime files the export uses, and lists them; 404 for one this model does not use', async () => {
    const files = expected(shareDoc, 1);
    const res = await codeFile(db.prisma, get(), id, { kind: 'number', raw: '1' }, 'lockstep-runtime/sql-store.ts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('inline; filename="sql-store.ts"');
    expect(await res.text()).toBe(files.find((f) => f.path === 'lockstep-runtime/sql-store.ts')!.content);
    expect(res.headers.get('x-lockstep-files')).toBe(files.map((f) => f.path).join(','));
    // The share example has no locks: no lock runtime in its export.
    const unused = await codeFile(db.prisma, get(), id, { kind: 'number', raw: '1' }, 'lockstep-runtime/locks.ts');
    expect(unused.status).toBe(404);
    const body = await unused.json();
    expect(body.error).toContain("does not use 'lockstep-runtime/locks.ts'");
    expect(body.issues[0].message).toContain('lockstep-runtime/guard-plan.ts');
  });

  it('answers 404 for an unknown model, version or file, 400 for a malformed version', async () => {
    expect((await codeZip(db.prisma, get(), 'nope', { kind: 'latest' })).status).toBe(404);
    expect((await codeZip(db.prisma, get(), id, { kind: 'number', raw: '9' })).status).toBe(404);
    const unknown = await codeFile(db.prisma, get(), id, { kind: 'latest' }, 'evil.ts');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).issues[0].message).toContain('guards.ts');
    expect((await codeZip(db.prisma, get(), id, 'bad')).status).toBe(400);
  });

  it('a stored model whose step cannot be generated: 422 naming the step', async () => {
    const doc = JSON.parse(JSON.stringify(shareDoc)) as ModelDocument & { operations: Array<{ steps: Array<{ steps: unknown[] }> }> };
    doc.operations[2]!.steps[0]!.steps.unshift({ kind: 'require', cond: 'at(createSnapshot, "driver-snapshot") == 0' });
    const model = await createModel(db.prisma, { document: doc });
    const res = await codeZip(db.prisma, get(), model.id, { kind: 'latest' });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.issues[0].path).toBe('operations[2].steps[0].steps[0]');
  });
});

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
describe.skipIf(bases.length === 0).each(bases)('code export over HTTP at %s', (base) => {
  it('latest zip, numbered file, and ?version=N', async () => {
    const { headers } = await apiSession(base);
    const get = (url: string) => fetch(url, { headers });
    const created = await fetch(`${base}/api/models`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ document: shareDoc }) });
    expect(created.status).toBe(201);
    const { model } = await created.json();
    const zip = await get(`${base}/api/models/${model.id}/export/code`);
    expect(zip.status).toBe(200);
    const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(entries).map((p) => p.slice(p.indexOf('/') + 1)).sort()).toEqual(expected(shareDoc, 1).map((f) => f.path).sort());
    const runtime = await get(`${base}/api/models/${model.id}/versions/1/export/code/lockstep-runtime/guard-plan.ts`);
    expect(runtime.status).toBe(200);
    expect(await runtime.text()).toBe(expected(shareDoc, 1).find((f) => f.path === 'lockstep-runtime/guard-plan.ts')!.content);
    expect((await get(`${base}/api/models/${model.id}/export/code/lockstep-runtime/guard-plan.ts?version=1`)).status).toBe(200);
    const file = await get(`${base}/api/models/${model.id}/versions/1/export/code/states.ts`);
    expect(file.status).toBe(200);
    const text = await file.text();
    expect(text).toBe(expected(shareDoc, 1).find((f) => f.path === 'states.ts')!.content);
    const viaQuery = await get(`${base}/api/models/${model.id}/export/code/states.ts?version=1`);
    expect(await viaQuery.text()).toBe(text);
    expect((await get(`${base}/api/models/${model.id}/export/code/nope.ts`)).status).toBe(404);
    expect((await get(`${base}/api/models/${model.id}/export/code?version=x`)).status).toBe(400);
    // Anonymous: the generated code is not public (builds use API tokens).
    expect((await fetch(`${base}/api/models/${model.id}/export/code`)).status).toBe(401);
  });
});
