/**
 * API tokens over real HTTP, against the `next start` servers `npm test`
 * starts (LOCKSTEP_TEST_BASE_URLS: SQLite and PostgreSQL). Token requests
 * carry `Authorization: Bearer` and nothing else: no cookie, no Origin, as a
 * build would send them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, inviteMember, type ApiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

async function send(base: string, path: string, init: { method?: string; headers?: Record<string, string>; json?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + path, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json), redirect: 'manual' });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let body: any = bytes;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text, headers: response.headers };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const suffix = () => Math.random().toString(36).slice(2, 8);

describe.skipIf(bases.length === 0).each(bases)('API tokens at %s', (base) => {
  let admin: ApiSession;
  let workspaceId: string;
  let modelId: string;

  const asAdmin = (path: string, init: { method?: string; json?: unknown } = {}) => send(base, path, { ...init, headers: admin.headers });

  async function newToken(input: Record<string, unknown>, session: ApiSession = admin) {
    const r = await send(base, '/api/tokens', { method: 'POST', json: input, headers: session.headers });
    expect(r.status, r.text).toBe(201);
    return r.body as { token: { id: string; name: string; scope: string; status: string; lastUsedAt: string | null; start: string }; secret: string };
  }

  async function listed(id: string, session: ApiSession = admin) {
    const r = await send(base, '/api/tokens', { headers: session.headers });
    expect(r.status).toBe(200);
    return r.body.tokens.find((t: { id: string }) => t.id === id);
  }

  beforeAll(async () => {
    admin = await apiSession(base);
    const workspaces = await asAdmin('/api/workspaces');
    workspaceId = workspaces.body.workspaces.find((w: { role: string }) => w.role === 'owner').id;
    const created = await asAdmin('/api/models', { method: 'POST', json: { name: `token target ${suffix()}`, workspaceId } });
    expect(created.status, created.text).toBe(201);
    modelId = created.body.model.id;
  });

  it('a read token lists models, fetches versions and the generated code, and gets 403 on save', async () => {
    const { token, secret } = await newToken({ name: `ci read ${suffix()}`, scope: 'read' });
    expect(secret).toMatch(/^lockstep_[A-Za-z]{64}$/);
    expect(token).toMatchObject({ scope: 'read', status: 'active', lastUsedAt: null });
    expect(secret.startsWith(token.start)).toBe(true);
    const auth = bearer(secret);

    const models = await send(base, '/api/models', { headers: auth });
    expect(models.status, models.text).toBe(200);
    expect(models.body.models.map((m: { id: string }) => m.id)).toContain(modelId);
    expect((await send(base, `/api/models/${modelId}`, { headers: auth })).body.model.id).toBe(modelId);
    const versions = await send(base, `/api/models/${modelId}/versions`, { headers: auth });
    expect(versions.body.versions.map((v: { number: number }) => v.number)).toEqual([1]);
    const v1 = await send(base, `/api/models/${modelId}/versions/1`, { headers: auth });
    expect(v1.status).toBe(200);

    const zip = await send(base, `/api/models/${modelId}/export/code`, { headers: auth });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(Array.from((zip.body as Uint8Array).slice(0, 2))).toEqual([0x50, 0x4b]); // "PK"
    const file = zip.headers.get('x-lockstep-files')!.split(',').find((f) => f.endsWith('.ts'))!;
    const one = await send(base, `/api/models/${modelId}/versions/1/export/code/${file}`, { headers: auth });
    expect(one.status).toBe(200);
    expect(one.text).toContain('export');

    const save = await send(base, `/api/models/${modelId}/versions`, { method: 'POST', headers: auth, json: { baseVersion: 1, document: v1.body.version.document, message: 'from a read token' } });
    expect(save.status, save.text).toBe(403);
    expect(save.body.error).toMatch(/write scope/);
    // Nothing was saved, and nothing else a token cannot do went through either.
    expect((await asAdmin(`/api/models/${modelId}`)).body.model.headNumber).toBe(1);
    expect((await send(base, `/api/models/${modelId}`, { method: 'DELETE', headers: auth })).status).toBe(403);
    expect((await send(base, '/api/models', { method: 'POST', headers: auth, json: { name: 'by token' } })).status).toBe(403);
    expect((await send(base, `/api/models/${modelId}/copy`, { method: 'POST', headers: auth, json: {} })).status).toBe(403);
    expect((await send(base, '/api/tokens', { headers: auth })).status).toBe(403);
    expect((await send(base, '/api/tokens', { method: 'POST', headers: auth, json: { name: 'more', scope: 'write' } })).status).toBe(403);
  });

  it('a write token saves a version, and the version names its account and token', async () => {
    const name = `ci write ${suffix()}`;
    const { secret } = await newToken({ name, scope: 'write' });
    const head = (await asAdmin(`/api/models/${modelId}`)).body.model;
    const saved = await send(base, `/api/models/${modelId}/versions`, {
      method: 'POST',
      headers: bearer(secret),
      json: { baseVersion: head.headNumber, document: head.head.document, message: 'saved by CI' },
    });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body.version.number).toBe(head.headNumber + 1);
    expect(saved.body.version.author).toContain(admin.user.name);
    expect(saved.body.version.author).toContain(name);
    // Write is not delete.
    expect((await send(base, `/api/models/${modelId}`, { method: 'DELETE', headers: bearer(secret) })).status).toBe(403);
  });

  it('a revoked token gets 401 (even beside a valid session cookie) and stays in the audit list as revoked', async () => {
    const { token, secret } = await newToken({ name: `to revoke ${suffix()}`, scope: 'read' });
    expect((await send(base, '/api/models', { headers: bearer(secret) })).status).toBe(200);

    const revoked = await asAdmin(`/api/tokens/${token.id}`, { method: 'DELETE' });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.token).toMatchObject({ status: 'revoked', revokedBy: admin.user.name });

    const refused = await send(base, '/api/models', { headers: bearer(secret) });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/invalid, expired or revoked/);
    expect((await send(base, `/api/models/${modelId}/export/code`, { headers: { ...bearer(secret), cookie: admin.headers.cookie } })).status).toBe(401);
    expect(await listed(token.id)).toMatchObject({ status: 'revoked', lastUsedAt: expect.any(String) });
    // The plugin's own endpoints are closed to browsers: nobody re-enables a revoked token or deletes its audit row there.
    const reenable = await send(base, '/api/auth/api-key/update', { method: 'POST', headers: admin.headers, json: { keyId: token.id, enabled: true } });
    expect(reenable.status).toBe(404);
    expect((await send(base, '/api/auth/api-key/delete', { method: 'POST', headers: admin.headers, json: { keyId: token.id } })).status).toBe(404);
    expect((await send(base, '/api/models', { headers: bearer(secret) })).status).toBe(401);
    // Revoking again changes nothing.
    expect((await asAdmin(`/api/tokens/${token.id}`, { method: 'DELETE' })).body.token.revokedAt).toBe(revoked.body.token.revokedAt);
  });

  it('unknown and malformed tokens get 401; bad token requests get 400 naming the field', async () => {
    expect((await send(base, '/api/models', { headers: bearer(`lockstep_${'A'.repeat(64)}`) })).status).toBe(401);
    expect((await send(base, '/api/models', { headers: { authorization: 'Bearer' } })).status).toBe(401);
    expect((await send(base, '/api/models', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).toBe(401);
    const bad = await asAdmin('/api/tokens', { method: 'POST', json: { name: ' ', scope: 'admin', expiresInDays: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['expiresInDays', 'name', 'scope']);
    expect((await asAdmin('/api/tokens/not-a-token-id-at-all', { method: 'DELETE' })).status).toBe(404);
  });

  it('never returns the plaintext again after creation', async () => {
    const { token, secret } = await newToken({ name: `shown once ${suffix()}`, scope: 'read' });
    const list = await asAdmin('/api/tokens');
    expect(list.text).not.toContain(secret);
    const entry = list.body.tokens.find((t: { id: string }) => t.id === token.id);
    expect(Object.keys(entry)).not.toContain('key');
    expect(Object.keys(entry)).not.toContain('secret');
    expect(entry.start.length).toBeLessThan(16);
    expect((await asAdmin(`/api/tokens/${token.id}`, { method: 'DELETE' })).text).not.toContain(secret);
  });

  it('stamps the last use on every request', async () => {
    const { token, secret } = await newToken({ name: `last use ${suffix()}`, scope: 'read' });
    expect((await listed(token.id)).lastUsedAt).toBeNull();
    const before = Date.now();
    await send(base, `/api/models/${modelId}/versions`, { headers: bearer(secret) });
    const first = Date.parse((await listed(token.id)).lastUsedAt);
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    await new Promise((r) => setTimeout(r, 1100));
    await send(base, `/api/models/${modelId}/export/code`, { headers: bearer(secret) });
    expect(Date.parse((await listed(token.id)).lastUsedAt)).toBeGreaterThan(first);
  });

  it('a workspace token acts only in its workspace; a personal token stays within its account role', async () => {
    const other = await asAdmin('/api/workspaces', { method: 'POST', json: { name: `other ${suffix()}` } });
    expect(other.status, other.text).toBe(201);
    const elsewhere = await asAdmin('/api/models', { method: 'POST', json: { name: 'elsewhere', workspaceId: other.body.workspace.id } });
    const { token, secret } = await newToken({ name: `ws ${suffix()}`, scope: 'write', workspaceId });
    expect(token).toMatchObject({ scope: 'write' });
    expect(await listed(token.id)).toMatchObject({ kind: 'workspace', workspace: { id: workspaceId } });

    const models = await send(base, '/api/models', { headers: bearer(secret) });
    const ids = models.body.models.map((m: { id: string }) => m.id);
    expect(ids).toContain(modelId);
    expect(ids).not.toContain(elsewhere.body.model.id);
    expect((await send(base, `/api/models/${elsewhere.body.model.id}`, { headers: bearer(secret) })).status).toBe(404);

    // A viewer's personal write token still cannot save: its account is a viewer. Nor may a viewer make workspace tokens.
    const viewer = await inviteMember(base, admin, workspaceId, 'viewer', `viewer-${suffix()}@lockstep.test`);
    const mine = await newToken({ name: 'viewer write', scope: 'write' }, viewer);
    const head = (await asAdmin(`/api/models/${modelId}`)).body.model;
    const save = await send(base, `/api/models/${modelId}/versions`, { method: 'POST', headers: bearer(mine.secret), json: { baseVersion: head.headNumber, document: head.head.document } });
    expect(save.status).toBe(403);
    expect((await send(base, `/api/models/${modelId}/versions`, { headers: bearer(mine.secret) })).status).toBe(200);
    const refused = await send(base, '/api/tokens', { method: 'POST', headers: viewer.headers, json: { name: 'ws', scope: 'read', workspaceId } });
    expect(refused.status).toBe(403);
    // Nor see or revoke the workspace's tokens.
    expect(await listed(token.id, viewer)).toBeUndefined();
    expect((await send(base, `/api/tokens/${token.id}`, { method: 'DELETE', headers: viewer.headers })).status).toBe(404);
  });
});
