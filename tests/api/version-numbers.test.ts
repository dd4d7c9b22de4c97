/**
 * A version number typed into a URL gets one answer everywhere, over real HTTP
 * against the `next start` servers `npm test` starts (LOCKSTEP_TEST_BASE_URLS):
 * text that spells no version number → 400 naming where it came from (`number`
 * for the `/versions/:number` segment, `version` for `?version=`), the same
 * body on every route; a well-formed number the model lacks → 404; pages →
 * 404 for both, never a silent fallback to the latest version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from '../helpers/api-session';
import { postedRun } from '../helpers/posted-run';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const NAIVE = 'naive-delete-vs-snapshot';

/** Zero, a leading zero, a sign, an exponent, a word, beyond 2^31−1. */
const MALFORMED = ['0', '01', '-1', '1e3', 'abc', '99999999999'];
/** Well-formed, but version 1 is the model's only version. */
const ABSENT = ['2', '2147483647'];

const RULE = 'must be a version number: a whole number from 1 to 2147483647, without sign or leading zero';

async function call(base: string, url: string, init: RequestInit = {}) {
  const response = await fetch(base + url, { ...init, headers: { 'content-type': 'application/json', ...(await apiSession(base)).headers } });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

type Route = { name: string; url: (id: string, n: string) => string; init?: () => RequestInit; absent: string };

describe.skipIf(bases.length === 0).each(bases)('version numbers in URLs at %s', (base) => {
  let id = '';
  let runId = '';
  const run = postedRun(example, NAIVE);

  beforeAll(async () => {
    const created = await call(base, '/api/models', { method: 'POST', body: JSON.stringify({ document: { ...example, name: 'version numbers' } }) });
    expect(created.status).toBe(201);
    id = created.body.model.id;
    const stored = await call(base, `/api/models/${id}/versions/1/runs`, { method: 'POST', body: JSON.stringify(run) });
    expect(stored.status).toBe(201);
    runId = stored.body.run.id;
  }, 60_000);

  const segment: Route[] = [
    { name: 'GET version', url: (m, n) => `/api/models/${m}/versions/${n}`, absent: 'version not found' },
    { name: 'GET version code zip', url: (m, n) => `/api/models/${m}/versions/${n}/export/code`, absent: 'version not found' },
    { name: 'GET version code file', url: (m, n) => `/api/models/${m}/versions/${n}/export/code/states.ts`, absent: 'version not found' },
    { name: 'POST run', url: (m, n) => `/api/models/${m}/versions/${n}/runs`, init: () => ({ method: 'POST', body: JSON.stringify(run) }), absent: 'version not found' },
    { name: 'GET run', url: (m, n) => `/api/models/${m}/versions/${n}/runs/${runId}`, absent: 'check run not found' },
  ];
  const query: Route[] = [
    { name: 'GET export', url: (m, n) => `/api/models/${m}/export?version=${n}`, absent: 'version not found' },
    { name: 'GET code zip', url: (m, n) => `/api/models/${m}/export/code?version=${n}`, absent: 'version not found' },
    { name: 'GET code file', url: (m, n) => `/api/models/${m}/export/code/states.ts?version=${n}`, absent: 'version not found' },
  ];

  it('every route answers version 1, so the refusals below are about the number', async () => {
    for (const route of [...segment, ...query]) {
      const r = await call(base, route.url(id, '1'), route.init?.());
      expect(r.status, route.name).toBe(route.name === 'POST run' ? 201 : 200);
    }
  });

  it('the /versions/:number segment: malformed → the same 400 naming `number` on every route', async () => {
    for (const n of MALFORMED) {
      for (const route of segment) {
        const r = await call(base, route.url(id, n), route.init?.());
        expect({ route: route.name, n, status: r.status, body: r.body }).toEqual({ route: route.name, n, status: 400, body: { error: 'invalid request', issues: [{ path: 'number', message: RULE }] } });
      }
    }
  });

  it('?version=: malformed → the same 400 naming `version` on every route', async () => {
    for (const n of [...MALFORMED, '']) {
      for (const route of query) {
        const r = await call(base, route.url(id, n));
        expect({ route: route.name, n, status: r.status, body: r.body }).toEqual({ route: route.name, n, status: 400, body: { error: 'invalid request', issues: [{ path: 'version', message: RULE }] } });
      }
    }
  });

  it('a well-formed number the model does not have → 404 on every route', async () => {
    for (const n of ABSENT) {
      for (const route of [...segment, ...query]) {
        const r = await call(base, route.url(id, n), route.init?.());
        expect({ route: route.name, n, status: r.status, error: r.body.error }).toEqual({ route: route.name, n, status: 404, error: route.absent });
      }
    }
  });

  it('pages: malformed or absent ?version= is a 404 page, never the latest version', async () => {
    const headers = (await apiSession(base)).headers;
    for (const page of ['check', 'export']) {
      const ok = await fetch(`${base}/models/${id}/${page}?version=1`, { headers });
      expect(ok.status, `${page} version 1`).toBe(200);
      for (const n of [...MALFORMED, ...ABSENT, '']) {
        const r = await fetch(`${base}/models/${id}/${page}?version=${n}`, { headers });
        expect({ page, n, status: r.status }).toEqual({ page, n, status: 404 });
      }
    }
  });
});
