/**
 * Single sign-on end to end in Chromium: a real OpenID Connect provider
 * (tests/helpers/oidc-provider.ts) on loopback, and the built app started here
 * with LOCKSTEP_OIDC_* pointing at it, on its own fresh SQLite database. The
 * user clicks "Sign in with Test IdP", signs in on the provider's page, and
 * lands back in Lockstep signed in.
 *
 * Runs alone (`npx playwright test e2e/sso.spec.ts`, with any build: .next or
 * LOCKSTEP_DIST_DIR) and under `npm test`. Ports are free ones unless
 * LOCKSTEP_SSO_APP_PORT / LOCKSTEP_SSO_IDP_PORT name them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startOidcProvider, type RunningOidcProvider } from '../tests/helpers/oidc-provider';
import { apiSession } from '../tests/helpers/api-session';
import { hasBuild } from '../tests/helpers/own-server';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { prepareDatabase, startServer } from '../scripts/lib/steps.mjs';
// @ts-expect-error: plain .mjs build scripts, no type declarations
import { freePort } from '../scripts/lib/pg-cluster.mjs';

test.describe.configure({ mode: 'serial' });
test.skip(!hasBuild(), 'needs a build of the app (npm test or npm run test:e2e make one)');

const CLIENT = { id: 'lockstep-e2e', secret: randomBytes(24).toString('base64url') };
const ADA = { sub: 'idp-ada', email: 'ada.sso@lockstep.test', name: 'Ada Sso', password: 'ada-idp-password' };
const BOB = { sub: 'idp-bob', email: 'bob.sso@lockstep.test', name: 'Bob Sso', password: 'bob-idp-password' };

let idp: RunningOidcProvider;
let app: { url: string; stop(): Promise<void> } | undefined;
let appPort = 0;
let appUrl = '';
let dir = '';
const contexts: BrowserContext[] = [];

async function startApp(env: Record<string, string> = {}) {
  await app?.stop();
  app = await startServer({
    port: appPort,
    env: {
      DATABASE_URL: `file:${path.join(dir, 'app.db')}`,
      BETTER_AUTH_SECRET: 'sso-e2e-secret-0123456789-abcdefghijklmnop',
      LOCKSTEP_ORIGIN: appUrl,
      LOCKSTEP_OIDC_ISSUER: idp.issuer,
      LOCKSTEP_OIDC_CLIENT_ID: CLIENT.id,
      LOCKSTEP_OIDC_CLIENT_SECRET: CLIENT.secret,
      LOCKSTEP_OIDC_NAME: 'Test IdP',
      ...env,
    },
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  appPort = Number(process.env.LOCKSTEP_SSO_APP_PORT) || (await freePort());
  appUrl = `http://127.0.0.1:${appPort}`;
  idp = await startOidcProvider({
    port: Number(process.env.LOCKSTEP_SSO_IDP_PORT) || 0,
    client: { ...CLIENT, redirectUris: [`${appUrl}/api/auth/callback/oidc`] },
    users: [ADA, BOB],
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-sso-e2e-'));
  await prepareDatabase({ DATABASE_URL: `file:${path.join(dir, 'app.db')}` });
  await startApp();
});

test.afterAll(async () => {
  for (const c of contexts) await c.close();
  await app?.stop();
  await idp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: appUrl });
  contexts.push(context);
  return context.newPage();
}

/** From the app's sign-in page through the provider's login form, back into the app. */
async function signInWithSso(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${appUrl}/`);
}

test('SSO is refused while Lockstep has no administrator yet', async ({ request }) => {
  const r = await request.post(`${appUrl}/api/auth/sign-in/social`, { data: { provider: 'oidc', callbackURL: '/' }, headers: { origin: appUrl }, failOnStatusCode: false });
  expect(r.status()).toBe(403);
  expect((await r.json()).message).toMatch(/first-run setup/);
  await apiSession(appUrl); // the administrator, through /api/setup
});

test('a new SSO account signs in at the provider and lands signed in, in no workspace until invited', async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await expect(page.getByText('Sign in to continue to')).toBeVisible();
  // The provider checks the password: a wrong one keeps the user there.
  await page.getByLabel('Email').fill(ADA.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await page.getByLabel('Password').fill(ADA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${appUrl}/`);
  await expect(page.getByTestId('account')).toContainText(ADA.name);
  await expect(page.getByTestId('no-workspace')).toBeVisible();
  const session = await (await page.request.get('/api/auth/get-session')).json();
  expect(session.user).toMatchObject({ email: ADA.email, name: ADA.name, emailVerified: true });

  // Signing in again (a new browser) reaches the same account, not a second one.
  const again = await newPage(browser);
  await signInWithSso(again, ADA);
  expect((await (await again.request.get('/api/auth/get-session')).json()).user.id).toBe(session.user.id);
});

test('with LOCKSTEP_OIDC_DEFAULT_ROLE, a new SSO account joins the default workspace with that role', async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await apiSession(appUrl);
  const { workspaces } = await (await fetch(`${appUrl}/api/workspaces`, { headers: admin.headers })).json();
  const team = workspaces[0] as { id: string; name: string };
  await startApp({ LOCKSTEP_OIDC_DEFAULT_ROLE: 'viewer', LOCKSTEP_OIDC_DEFAULT_WORKSPACE: team.id });

  const page = await newPage(browser);
  await signInWithSso(page, BOB);
  await expect(page.getByTestId('account')).toContainText(BOB.name);
  await expect(page.getByTestId('viewer-note')).toContainText(`You are a viewer in ${team.name}`);
  const members = await (await fetch(`${appUrl}/api/workspaces/${team.id}/members`, { headers: admin.headers })).json();
  expect(members.members).toContainEqual(expect.objectContaining({ email: BOB.email, role: 'viewer' }));
});
