/**
 * A team on a fresh server (its own empty database): the first visitor sets
 * up the administrator, who invites an editor and a viewer by link; each
 * joins in their own browser context. The viewer cannot edit (UI and API),
 * the editor cannot delete, and an anonymous visitor reaches only the share
 * link, whose page leads nowhere writable.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { hasBuild, startOwnServer, type OwnServer } from '../tests/helpers/own-server';

test.describe.configure({ mode: 'serial' });
test.skip(!hasBuild(), 'needs a build of the app (npm test or npm run test:e2e make one)');

let server: OwnServer;
let base = '';
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startOwnServer();
  base = server.url;
});
test.afterAll(async () => {
  for (const c of contexts) await c.close();
  await server?.stop();
});

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  contexts.push(context);
  return context.newPage();
}

const api = (page: Page, method: 'get' | 'post' | 'delete', path: string, data?: unknown) =>
  page.request[method](base + path, { data, headers: { origin: base }, failOnStatusCode: false });

async function invite(admin: Page, email: string, role: string): Promise<string> {
  const form = admin.getByRole('form', { name: 'Invite a member' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Create invitation link' }).click();
  const link = admin.getByTestId('invitation-link');
  await expect(link).toContainText('/invite/');
  await expect(admin.getByTestId('invitation-created')).toContainText(email);
  return (await link.textContent())!.trim();
}

async function join(page: Page, link: string, name: string, expectedRole: string) {
  await page.goto(link);
  await expect(page.getByTestId('invitation-summary')).toContainText(expectedRole);
  const form = page.getByTestId('accept-invitation-form');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Password').fill(`${name.toLowerCase()}-password-1`);
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
  await expect(page.getByTestId('current-role')).toHaveText(expectedRole);
}

test('setup, invitations, and what each role can do', async ({ browser }) => {
  test.setTimeout(120_000);
  // 1. First run: any page leads to setup.
  const admin = await newPage(browser);
  await admin.goto('/');
  await expect(admin).toHaveURL(/\/setup$/);
  const setup = admin.getByTestId('setup-form');
  await setup.getByLabel('Your name').fill('Ada');
  await setup.getByLabel('Email').fill('ada@team.test');
  await setup.getByLabel('Password').fill('ada-password-1');
  await setup.getByLabel('First workspace').fill('Storage team');
  await setup.getByRole('button', { name: 'Create administrator' }).click();
  await expect(admin.getByTestId('current-workspace')).toHaveText('Storage team');
  await expect(admin.getByTestId('current-role')).toHaveText('owner');
  await expect(admin.getByTestId('example-row').first()).toBeVisible();

  // 2. The administrator invites an editor and a viewer; each opens the link in their own browser.
  await admin.getByRole('link', { name: 'Members' }).click();
  const editorLink = await invite(admin, 'ed@team.test', 'editor');
  const viewerLink = await invite(admin, 'vi@team.test', 'viewer');
  const editor = await newPage(browser);
  await join(editor, editorLink, 'Ed', 'editor');
  const viewer = await newPage(browser);
  await join(viewer, viewerLink, 'Vi', 'viewer');
  // A used link does not work twice.
  const late = await newPage(browser);
  await late.goto(editorLink);
  await expect(late.getByTestId('invitation-invalid')).toBeVisible();
  await admin.reload();
  await expect(admin.getByTestId('member-row')).toHaveCount(3);

  // 3. The editor creates a model (versions are authored by the account) but cannot delete it.
  await editor.getByLabel('New model').fill('Share lifecycle');
  await editor.getByRole('button', { name: 'Create model' }).click();
  await expect(editor.getByTestId('model-name')).toHaveText('Share lifecycle');
  await expect(editor.getByText(/^Version 1 · saved .* by Ed$/)).toBeVisible();
  const modelId = editor.url().split('/models/')[1];
  await expect(editor.getByTestId('open-editor')).toBeVisible();
  await expect(editor.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  expect((await api(editor, 'delete', `/api/models/${modelId}`)).status()).toBe(403);

  // 4. The viewer reads and checks, but cannot edit: no editor, no save form, the API refuses.
  await viewer.goto(`/models/${modelId}`);
  await expect(viewer.getByTestId('model-name')).toHaveText('Share lifecycle');
  await expect(viewer.getByTestId('read-only-note')).toContainText('viewer');
  await expect(viewer.getByTestId('open-editor')).toHaveCount(0);
  await expect(viewer.getByRole('form', { name: 'Edit details' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  await viewer.goto(`/models/${modelId}/edit`);
  await expect(viewer).toHaveURL(new RegExp(`/models/${modelId}$`));
  const head = await (await api(viewer, 'get', `/api/models/${modelId}`)).json();
  expect((await api(viewer, 'post', `/api/models/${modelId}/versions`, { baseVersion: 1, document: head.model.head.document })).status()).toBe(403);
  expect((await api(viewer, 'delete', `/api/models/${modelId}`)).status()).toBe(403);
  await viewer.goto('/');
  await expect(viewer.getByLabel('New model')).toHaveCount(0);
  await expect(viewer.getByTestId('viewer-note')).toBeVisible();

  // 5. The administrator deletes; the model is gone for everyone.
  const doomed = await api(admin, 'post', '/api/models', { name: 'Scratch' });
  expect(doomed.status()).toBe(201);
  const doomedId = (await doomed.json()).model.id;
  expect((await api(editor, 'delete', `/api/models/${doomedId}`)).status()).toBe(403);
  expect((await api(admin, 'delete', `/api/models/${doomedId}`)).status()).toBe(204);

  // 6. Anonymous: only the share link. Its page offers no way into the app.
  const share = await api(editor, 'post', '/api/share', { modelId, versionNumber: 1 });
  expect(share.status()).toBe(201);
  const shareUrl = (await share.json()).url as string;
  const anonymous = await newPage(browser);
  await anonymous.goto(shareUrl);
  await expect(anonymous.getByText('Share lifecycle').first()).toBeVisible();
  await expect(anonymous.getByRole('link', { name: 'Models' })).toHaveCount(0);
  const hrefs = await anonymous.locator('a[href]').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(hrefs.filter((p) => p === '/' || p.startsWith('/models') || p.startsWith('/workspaces'))).toEqual([]);
  for (const path of ['/', `/models/${modelId}`, `/models/${modelId}/edit`, '/workspaces']) {
    await anonymous.goto(path);
    await expect(anonymous, path).toHaveURL(/\/sign-in/);
  }
  expect((await api(anonymous, 'get', '/api/models')).status()).toBe(401);
  expect((await api(anonymous, 'get', `/api/models/${modelId}`)).status()).toBe(401);
});
