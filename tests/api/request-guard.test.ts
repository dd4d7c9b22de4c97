/**
 * The request guard (proxy.ts) over real HTTP, against the `next start`
 * servers `npm test` starts with LOCKSTEP_ORIGIN = their own URL
 * (LOCKSTEP_TEST_BASE_URLS). The victim is signed in and every forged write
 * carries the victim's session cookie, as a browser would attach it: the
 * guard, not a missing session, is what refuses it. Each refusal is followed
 * by a look at the data: nothing was created, the victim model's versions
 * are unchanged.
 */
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sampleDocument } from '../helpers/db';
import { apiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

interface Reply {
  status: number;
  body: any;
  contentType: string;
}

async function send(base: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const response = await fetch(base + path, { method: init.method ?? 'GET', body: init.body, headers: init.headers });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
}

/** fetch() forbids setting Host; node:http sends whatever we say. */
function rawRequest(base: string, path: string, host: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: init.method ?? 'GET', setHost: false, headers: { host, ...(init.headers ?? {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** The victim's session: its cookie (which a browser attaches to forged requests too) and, for its own writes, its Origin. */
const victimHeaders = async (base: string) => (await apiSession(base)).headers;
const cookieOf = async (base: string) => ({ cookie: (await victimHeaders(base)).cookie });

async function createVictim(base: string): Promise<{ id: string; versions: number[] }> {
  const headers = { ...JSON_TYPE, ...(await victimHeaders(base)) };
  const r = await send(base, '/api/models', { method: 'POST', headers, body: JSON.stringify({ document: sampleDocument(`victim ${randomUUID()}`) }) });
  expect(r.status).toBe(201);
  return { id: r.body.model.id, versions: [1] };
}

/** Attack bodies carry a unique marker in their names, so "nothing was created" does not depend on other tests' models. */
function attack(base: string, victimId: string) {
  const marker = `attack ${randomUUID()}`;
  return {
    marker,
    create: JSON.stringify({ document: sampleDocument(marker) }),
    save: JSON.stringify({ baseVersion: 1, document: sampleDocument(marker), message: marker }),
    import: JSON.stringify(sampleDocument(marker)),
    targets: [
      ['/api/models', 'create'],
      [`/api/models/${victimId}/versions`, 'save'],
      ['/api/models/import', 'import'],
    ] as const,
    async expectNothingChanged(model: { id: string; versions: number[] }) {
      const headers = await victimHeaders(base);
      const list = await send(base, '/api/models', { headers });
      expect(list.status).toBe(200);
      expect(list.body.models.filter((m: any) => String(m.name).includes(marker))).toEqual([]);
      const versions = await send(base, `/api/models/${model.id}/versions`, { headers });
      expect(versions.status).toBe(200);
      expect(versions.body.versions.map((v: any) => v.number)).toEqual([...model.versions].reverse());
      const head = await send(base, `/api/models/${model.id}`, { headers });
      expect(head.status).toBe(200);
      expect(head.body.model.name).not.toContain(marker);
    },
  };
}

describe.skipIf(bases.length === 0).each(bases)('request guard at %s', (base) => {
  it('refuses writes that are not application/json with 415 and the error shape, and changes nothing', async () => {
    const victim = await createVictim(base);
    const a = attack(base, victim.id);
    for (const [path, kind] of a.targets) {
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
        const r = await send(base, path, { method: 'POST', headers: { ...(await victimHeaders(base)), ...(type ? { 'content-type': type } : {}) }, body: a[kind] });
        expect(r.status, `${path} ${type}`).toBe(415);
        expect(r.body).toEqual({ error: expect.stringMatching(/application\/json/), issues: [] });
      }
    }
    const del = await send(base, `/api/models/${victim.id}`, { method: 'DELETE', headers: { ...(await victimHeaders(base)), 'content-type': 'text/plain' }, body: 'x' });
    expect(del.status).toBe(415);
    await a.expectNothingChanged(victim);
  });

  it('refuses cross-site browser writes (Sec-Fetch-Site) with 403, and changes nothing', async () => {
    const victim = await createVictim(base);
    const a = attack(base, victim.id);
    for (const [path, kind] of a.targets) {
      for (const site of ['cross-site', 'same-site']) {
        const r = await send(base, path, { method: 'POST', headers: { ...JSON_TYPE, ...(await cookieOf(base)), 'sec-fetch-site': site }, body: a[kind] });
        expect(r.status, `${path} ${site}`).toBe(403);
        expect(r.body.error).toMatch(/cross-origin request refused: Sec-Fetch-Site/);
        expect(r.body.issues).toEqual([]);
      }
    }
    expect((await send(base, `/api/models/${victim.id}`, { method: 'DELETE', headers: { ...(await cookieOf(base)), 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    await a.expectNothingChanged(victim);
  });

  it('refuses writes from a foreign Origin with 403 when Sec-Fetch-Site is absent, and changes nothing', async () => {
    const victim = await createVictim(base);
    const a = attack(base, victim.id);
    const port = new URL(base).port;
    for (const origin of [`http://localhost:${port}`, `http://127.0.0.2:${port}`, 'http://127.0.0.1:1', `https://127.0.0.1:${port}`, 'http://evil.example', 'null']) {
      for (const [path, kind] of a.targets) {
        const r = await send(base, path, { method: 'POST', headers: { ...JSON_TYPE, ...(await cookieOf(base)), origin }, body: a[kind] });
        expect(r.status, `${path} from ${origin}`).toBe(403);
        expect(r.body.error).toContain(new URL(base).origin);
      }
    }
    expect((await send(base, `/api/models/${victim.id}`, { method: 'DELETE', headers: { ...(await cookieOf(base)), origin: 'http://evil.example' } })).status).toBe(403);
    await a.expectNothingChanged(victim);
  });

  it('accepts the app’s own pages (same-origin, its Origin) and clients that send neither (curl)', async () => {
    const allowed: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin' }, { origin: new URL(base).origin }, {}];
    for (const headers of allowed) {
      const r = await send(base, '/api/models', { method: 'POST', headers: { ...JSON_TYPE, ...(await cookieOf(base)), ...headers }, body: JSON.stringify({ name: `allowed ${randomUUID()}` }) });
      expect(r.status, JSON.stringify(headers)).toBe(201);
    }
  });

  it('refuses a foreign Host (DNS rebinding) with 421 naming the configured origin, for pages and API, and changes nothing', async () => {
    const victim = await createVictim(base);
    const a = attack(base, victim.id);
    const own = new URL(base);
    for (const host of [`rebind.evil.example:${own.port}`, `localhost:${own.port}`, 'evil.example']) {
      const page = await rawRequest(base, '/', host);
      expect(page.status, host).toBe(421);
      expect(page.contentType).toContain('text/plain');
      expect(page.body).toContain(own.origin);

      const read = await rawRequest(base, '/api/models', host, { headers: await cookieOf(base) });
      expect(read.status, host).toBe(421);
      expect(read.body).toEqual({ error: expect.stringContaining(own.origin), issues: [] });
      expect(JSON.stringify(read.body)).not.toContain('"models"');

      // Same-origin as far as the rebound page's browser knows.
      for (const [path, kind] of a.targets) {
        const r = await rawRequest(base, path, host, { method: 'POST', headers: { ...JSON_TYPE, ...(await cookieOf(base)), 'sec-fetch-site': 'same-origin', origin: `http://${host}` }, body: a[kind] });
        expect(r.status, `${path} at ${host}`).toBe(421);
      }
      expect((await rawRequest(base, `/api/models/${victim.id}`, host, { method: 'DELETE', headers: await cookieOf(base) })).status).toBe(421);
    }
    // The control: the same raw request naming the right host is served.
    expect((await rawRequest(base, '/api/models', own.host, { headers: await cookieOf(base) })).status).toBe(200);
    await a.expectNothingChanged(victim);
  });

  it('answers /api/health at any host, for load-balancer probes; it tells nothing more than "up"', async () => {
    const r = await rawRequest(base, '/api/health', '10.1.2.3:3000');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['ok', 'provider']);
  });
});
