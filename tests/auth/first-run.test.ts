/**
 * First run, sign-in, sign-out and session expiry, against a server of its
 * own on an empty database (so "no account yet" is real) whose sessions last
 * 3 seconds (LOCKSTEP_SESSION_SECONDS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBuild, startOwnServer, type OwnServer } from '../helpers/own-server';
import { cookiesFrom } from '../helpers/api-session';

const required = process.env.LOCKSTEP_REQUIRE_SERVER === '1';
if (required && !hasBuild()) throw new Error('no build of the app to serve: run `npm test`, which builds it');

describe.skipIf(!hasBuild())('first run and sessions', () => {
  let server: OwnServer;
  let base = '';
  const admin = { name: 'Ada Admin', email: 'ada@example.test', password: 'ada-password-123' };

  const get = (path: string, cookie = '') => fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const post = (path: string, body: unknown, cookie = '') =>
    fetch(base + path, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  const signIn = (email: string, password: string) => post('/api/auth/sign-in/email', { email, password });

  beforeAll(async () => {
    server = await startOwnServer({ LOCKSTEP_SESSION_SECONDS: '3' });
    base = server.url;
  }, 90_000);
  afterAll(() => server?.stop());

  it('with no account, every page leads to /setup and the API answers 401', async () => {
    for (const path of ['/', '/sign-in', '/workspaces']) {
      const r = await get(path);
      expect(r.status, path).toBe(307);
      expect(r.headers.get('location'), path).toMatch(/\/setup$/);
    }
    const page = await get('/setup');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create administrator');
    expect((await get('/api/models')).status).toBe(401);
  });

  it('refuses a weak setup with the field named, and creates nothing', async () => {
    const r = await post('/api/setup', { ...admin, password: 'short' });
    expect(r.status).toBe(400);
    expect((await r.json()).issues).toEqual([{ path: 'password', message: 'at least 10 characters' }]);
    expect((await get('/setup')).status).toBe(200);
  });

  it('two setups racing create exactly one administrator', async () => {
    const rival = { name: 'Rival', email: 'rival@example.test', password: 'rival-password-123' };
    const [a, b] = await Promise.all([post('/api/setup', admin), post('/api/setup', rival)]);
    expect([a.status, b.status].sort()).toEqual([201, 404]);
    const winner = a.status === 201 ? admin : rival;
    const loser = a.status === 201 ? rival : admin;
    expect((await signIn(winner.email, winner.password)).status).toBe(200);
    expect((await signIn(loser.email, loser.password)).status).toBe(401);
    if (winner !== admin) Object.assign(admin, winner);
  });

  it('once an account exists, /setup is closed and anonymous pages go to sign-in', async () => {
    const setupPage = await get('/setup');
    expect(setupPage.status).toBe(307);
    expect(setupPage.headers.get('location')).toMatch(/\/sign-in$/);
    expect((await post('/api/setup', { name: 'Late', email: 'late@example.test', password: 'late-password-123' })).status).toBe(404);
    const home = await get('/');
    expect(home.status).toBe(307);
    expect(home.headers.get('location')).toMatch(/\/sign-in\?next=%2F$/);
  });

  it('nobody signs up without an invitation', async () => {
    const r = await post('/api/auth/sign-up/email', { name: 'Eve', email: 'eve@example.test', password: 'eve-password-123' });
    expect(r.status).toBe(404);
    expect((await signIn('eve@example.test', 'eve-password-123')).status).toBe(401);
  });

  it('signs in with an httpOnly SameSite=Lax cookie, and signs out', async () => {
    expect((await signIn(admin.email, 'wrong password!')).status).toBe(401);
    const r = await signIn(admin.email, admin.password);
    expect(r.status).toBe(200);
    const setCookie = r.headers.getSetCookie().find((c) => c.startsWith('lockstep.session_token='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // http origin; an https LOCKSTEP_ORIGIN makes it Secure
    const cookie = cookiesFrom(r);
    const models = await get('/api/models', cookie);
    expect(models.status).toBe(200);
    expect((await models.json()).models.length).toBeGreaterThan(0); // the examples
    expect((await get('/', cookie)).status).toBe(200);

    expect((await post('/api/auth/sign-out', {}, cookie)).status).toBe(200);
    expect((await get('/api/models', cookie)).status).toBe(401);
  });

  it('an idle session expires', async () => {
    const cookie = cookiesFrom(await signIn(admin.email, admin.password));
    expect((await get('/api/models', cookie)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect((await get('/api/models', cookie)).status).toBe(401);
    const page = await get('/', cookie);
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toMatch(/\/sign-in/);
  }, 15_000);
});
