/**
 * The models API over real HTTP, against `next start` servers that `npm test`
 * starts (one on SQLite, one on PostgreSQL): LOCKSTEP_TEST_BASE_URLS. Every
 * request is signed in as the test administrator (tests/helpers/api-session.ts);
 * what each role may do is tests/auth/roles.test.ts.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleDocument } from '../helpers/db';
import { apiSession, TEST_ADMIN } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

async function call(base: string, path: string, init: RequestInit & { raw?: string } = {}): Promise<Reply> {
  const session = await apiSession(base);
  const response = await fetch(base + path, {
    ...init,
    body: init.raw ?? init.body,
    headers: { 'content-type': 'application/json', ...session.headers, ...(init.headers ?? {}) },
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, headers: response.headers };
}

const post = (base: string, path: string, value: unknown) => call(base, path, { method: 'POST', raw: JSON.stringify(value) });

/** Sends a body in chunks without Content-Length (Transfer-Encoding: chunked). */
async function postChunked(base: string, path: string, totalBytes: number): Promise<number> {
  const session = await apiSession(base);
  return new Promise((resolve, reject) => {
    const url = new URL(base + path);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...session.headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe.skipIf(bases.length === 0).each(bases)('models API at %s', (base) => {
  it('creates, lists, reads, saves, exports and deletes a model', async () => {
    // A free-text `author` is ignored: the author is the signed-in account.
    const created = await post(base, '/api/models', { document: sampleDocument('api model', { description: 'over HTTP' }), author: 'ana' });
    expect(created.status).toBe(201);
    const id = created.body.model.id as string;
    expect(created.headers.get('location')).toBe(`/api/models/${id}`);
    expect(created.body.model.head).toMatchObject({ number: 1, author: TEST_ADMIN.name });

    const list = await call(base, '/api/models');
    expect(list.status).toBe(200);
    expect(list.body.models.find((m: any) => m.id === id)).toMatchObject({ name: 'api model', versionCount: 1 });

    const saved = await post(base, `/api/models/${id}/versions`, { baseVersion: 1, document: sampleDocument('api model v2'), message: 'second' });
    expect(saved.status).toBe(201);
    expect(saved.body.version).toMatchObject({ number: 2, basedOn: 1, message: 'second' });

    const got = await call(base, `/api/models/${id}`);
    expect(got.body.model).toMatchObject({ name: 'api model v2', headNumber: 2, versionCount: 2 });
    expect((await call(base, `/api/models/${id}/versions`)).body.versions.map((v: any) => v.number)).toEqual([2, 1]);
    expect((await call(base, `/api/models/${id}/versions/1`)).body.version.document.name).toBe('api model');

    const exported = await fetch(`${base}/api/models/${id}/export?version=1`, { headers: (await apiSession(base)).headers });
    expect(exported.headers.get('content-disposition')).toContain('api-model-v1.json');
    expect(await exported.json()).toMatchObject({ name: 'api model', description: 'over HTTP' });

    const del = await call(base, `/api/models/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await call(base, `/api/models/${id}`)).status).toBe(404);
  });

  it('creates a starter model from just a name', async () => {
    const r = await post(base, '/api/models', { name: '  Named only  ' });
    expect(r.status).toBe(201);
    expect(r.body.model.name).toBe('Named only');
    expect(r.body.model.head.document.resources.length).toBe(1);
  });

  it('imports a document and rejects an invalid one with the paths of its errors', async () => {
    const ok = await post(base, '/api/models/import', sampleDocument('imported'));
    expect(ok.status).toBe(201);
    expect(ok.body.model.head.message).toBe('Imported');

    const bad = await post(base, '/api/models/import', { name: 'bad', resources: [{ name: 'Share', states: [{ name: 'a', kind: 'sideways' }], initial: 'a', transitions: [] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeTypeOf('string');
    expect(bad.body.issues.map((i: any) => i.path)).toContain('resources[0].states[0].kind');
  });

  it('answers malformed JSON, empty bodies and wrong types with 400 and issues', async () => {
    for (const raw of ['{"name": ', '', 'null', '[1,2]', '"text"', '{"name":"x",}']) {
      const r = await call(base, '/api/models', { method: 'POST', raw });
      expect(r.status, `body ${JSON.stringify(raw)}`).toBe(400);
      expect(Array.isArray(r.body.issues)).toBe(true);
    }
    const wrongType = await post(base, '/api/models', { name: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.issues[0].path).toBe('name');

    const unknownKey = await post(base, '/api/models', { name: 'x', admin: true });
    expect(unknownKey.status).toBe(400);

    const m = (await post(base, '/api/models', { name: 'typed' })).body.model;
    for (const [body, path] of [
      [{ baseVersion: '1', document: sampleDocument('x') }, 'baseVersion'],
      [{ baseVersion: 1.5, document: sampleDocument('x') }, 'baseVersion'],
      [{ baseVersion: 1 }, 'document'],
      [{ baseVersion: 1, document: { name: 'x', resources: 'many' } }, 'document.resources'],
      [{ baseVersion: 1, document: sampleDocument('x'), author: ['a'] }, 'author'],
    ] as const) {
      const r = await post(base, `/api/models/${m.id}/versions`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.issues.map((i: any) => i.path)).toContain(path);
    }
    const invalidUtf8 = await fetch(`${base}/api/models/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...(await apiSession(base)).headers }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(invalidUtf8.status).toBe(400);
    // Nothing above changed the model.
    expect((await call(base, `/api/models/${m.id}`)).body.model.headNumber).toBe(1);
  });

  it('refuses absurdly nested JSON with 400 and keeps serving', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const r = await call(base, '/api/models/import', { method: 'POST', raw: deep });
    expect(r.status).toBe(400);
    let step: any = { kind: 'return' };
    for (let i = 0; i < 80; i++) step = { kind: 'atomic', steps: [step] };
    const doc = { ...sampleDocument('deep steps'), operations: [{ name: 'op', params: [], steps: [step] }] };
    const nested = await post(base, '/api/models/import', doc);
    expect(nested.status).toBe(400);
    expect(nested.body.issues[0].message).toMatch(/nested deeper/);
    expect((await call(base, '/api/health')).status).toBe(200);
  });

  it('random bodies never get a 5xx and never change a stored version', async () => {
    const m = (await post(base, '/api/models', { document: sampleDocument('fuzz target', { description: 'keep me' }) })).body.model;
    const before = (await call(base, `/api/models/${m.id}/versions/1`)).body.version;
    const bodies = fc.sample(
      fc.oneof(
        fc.jsonValue({ maxDepth: 6 }),
        fc.record({ baseVersion: fc.oneof(fc.integer(), fc.string(), fc.constant(1)), document: fc.jsonValue({ maxDepth: 5 }) }, { requiredKeys: [] }),
        fc.record({ baseVersion: fc.constant(1), document: fc.record({ name: fc.jsonValue({ maxDepth: 2 }), resources: fc.jsonValue({ maxDepth: 4 }), __proto__: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }) }),
      ),
      { numRuns: 120, seed: 20261121 },
    );
    const texts = [...bodies.map((b) => JSON.stringify(b) ?? 'null'), '\u0000', '{"a":1}{"b":2}', '1e999999', '{"__proto__":{"polluted":true}}'];
    for (const raw of texts) {
      for (const path of ['/api/models', '/api/models/import', `/api/models/${m.id}/versions`]) {
        const r = await call(base, path, { method: 'POST', raw });
        expect(r.status, `${path} ${raw.slice(0, 200)}`).toBeLessThan(500);
        expect([201, 400, 409]).toContain(r.status);
      }
    }
    expect((await call(base, `/api/models/${m.id}/versions/1`)).body.version).toEqual(before);
    expect((await call(base, '/api/health')).status).toBe(200);
  });

  it('refuses a save on a stale version with 409 and the current head', async () => {
    const m = (await post(base, '/api/models', { name: 'contended' })).body.model;
    expect((await post(base, `/api/models/${m.id}/versions`, { baseVersion: 1, document: sampleDocument('first writer'), author: 'ana' })).status).toBe(201);
    const stale = await post(base, `/api/models/${m.id}/versions`, { baseVersion: 1, document: sampleDocument('second writer'), author: 'bo' });
    expect(stale.status).toBe(409);
    expect(stale.body.head).toMatchObject({ number: 2, author: TEST_ADMIN.name });
    expect(stale.body.head.document.name).toBe('first writer');
    expect((await call(base, `/api/models/${m.id}`)).body.model.head.document.name).toBe('first writer');
  });

  it('20 concurrent saves on the same version over HTTP: one 201, nineteen 409', async () => {
    const m = (await post(base, '/api/models', { name: 'http race' })).body.model;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(base, `/api/models/${m.id}/versions`, { baseVersion: 1, document: sampleDocument(`w${i}`) })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(19);
    expect((await call(base, `/api/models/${m.id}/versions`)).body.versions.map((v: any) => v.number)).toEqual([2, 1]);
  });

  it('rejects bodies over 1 MB with 413, with or without Content-Length, and keeps serving', async () => {
    const big = JSON.stringify({ name: 'big', description: 'x'.repeat(1024 * 1024) });
    const declared = await call(base, '/api/models/import', { method: 'POST', raw: big });
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatch(/1 MB/);
    expect(await postChunked(base, '/api/models/import', 3 * 1024 * 1024)).toBe(413);
    expect((await call(base, '/api/health')).status).toBe(200);
  });

  it('answers unknown ids and versions with 404', async () => {
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const path of [`/api/models/${unknown}`, `/api/models/${unknown}/versions`, `/api/models/${unknown}/versions/1`, `/api/models/${unknown}/export`, '/api/models/%27%20OR%201%3D1/versions/1']) {
      const r = await call(base, path);
      expect(r.status, path).toBe(404);
      expect(r.body.error).toMatch(/not found/);
    }
    expect((await call(base, `/api/models/${unknown}`, { method: 'DELETE' })).status).toBe(404);
    expect((await post(base, `/api/models/${unknown}/versions`, { baseVersion: 1, document: sampleDocument('x') })).status).toBe(404);
    const m = (await post(base, '/api/models', { name: 'has one version' })).body.model;
    expect((await call(base, `/api/models/${m.id}/versions/2`)).status).toBe(404);
    // Text that spells no version number is a bad request, not a missing version (tests/api/version-numbers.test.ts).
    for (const n of ['0', '-1', 'abc', '99999999999']) expect((await call(base, `/api/models/${m.id}/versions/${n}`)).status).toBe(400);
    const page = await fetch(`${base}/models/${unknown}`, { headers: (await apiSession(base)).headers });
    expect(page.status).toBe(404);
  });
});
