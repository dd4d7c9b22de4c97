import type { APIRequestContext } from '@playwright/test';
import { expect, signedInContext, test } from './fixtures';
import { ModelPageObject, ModelsPage } from './pages/models-page';
import { TEST_ADMIN } from '../tests/helpers/api-session';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const documentNamed = (name: string) => ({
  name,
  resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] }],
});

async function createViaApi(request: APIRequestContext, name: string): Promise<string> {
  const r = await request.post('/api/models', { data: { document: documentNamed(name) } });
  expect(r.status()).toBe(201);
  return (await r.json()).model.id;
}

test('create a model, reload, and it is still there', async ({ page }) => {
  const models = new ModelsPage(page);
  const name = unique('Share lifecycle');
  await models.goto();
  await models.create(name);

  const model = new ModelPageObject(page);
  await expect(model.name()).toHaveText(name);
  await expect(model.versions()).toHaveCount(1);
  await page.reload();
  await expect(model.name()).toHaveText(name);

  await models.goto();
  await expect(models.row(name)).toBeVisible();
  await expect(models.row(name)).toContainText('1 version');
  await page.reload();
  await expect(models.row(name)).toBeVisible();
});

test('importing a malformed file shows an error naming the path, and imports nothing', async ({ page, request }) => {
  const models = new ModelsPage(page);
  await models.goto();
  const name = unique('Broken import');
  const broken = { name, resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 42, transitions: [] }] };
  await models.importFile('broken.json', JSON.stringify(broken));
  await expect(models.importError()).toContainText('Could not import broken.json');
  await expect(models.importError()).toContainText('resources[0].initial');

  await models.importFile('truncated.json', '{"name": "half a file", "resources": [');
  await expect(models.importError()).toContainText('Could not import truncated.json');
  await expect(models.importError()).toContainText('not valid JSON');

  const all = await (await request.get('/api/models')).json();
  expect(all.models.some((m: { name: string }) => m.name === name)).toBe(false);

  // A valid file imports and opens.
  const good = unique('Imported model');
  await models.importFile('good.json', JSON.stringify(documentNamed(good)));
  await expect(new ModelPageObject(page).name()).toHaveText(good);
});

test('two people save the same model: the second gets a conflict, the first one’s change stays', async ({ browser, request, baseURL }) => {
  const name = unique('Contended model');
  const id = await createViaApi(request, name);
  const alice = await signedInContext(browser, baseURL!, 'admin');
  const bob = await signedInContext(browser, baseURL!, 'editor');
  try {
    const a = new ModelPageObject(await alice.newPage());
    const b = new ModelPageObject(await bob.newPage());
    await a.goto(id);
    await b.goto(id);

    await a.saveDescription('Alice: delete must cas into deleting', 'alice edit');
    await expect(a.page.getByRole('status')).toContainText('Saved as version 2');

    await b.saveDescription('Bob: overwrite everything', 'bob edit');
    const conflict = b.page.getByTestId('save-conflict');
    await expect(conflict).toContainText('Not saved: this model changed since you opened it');
    await expect(conflict).toContainText(`Version 2 was saved by ${TEST_ADMIN.name}`);

    await a.page.reload();
    await expect(a.description()).toHaveText('Alice: delete must cas into deleting');
    await expect(a.versions()).toHaveCount(2);
    await expect(a.versions().first()).toContainText('alice edit');

    // Bob reloads and sees Alice's version, not his.
    await b.page.getByRole('button', { name: 'Reload latest version' }).click();
    await expect(b.description()).toHaveText('Alice: delete must cas into deleting');
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('deleting a model asks for confirmation first', async ({ page, request }) => {
  const name = unique('Disposable model');
  await createViaApi(request, name);
  const models = new ModelsPage(page);
  await models.goto();
  const row = models.row(name);
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Delete “${name}”?`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(models.row(name)).toBeVisible();

  await models.row(name).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete model' }).click();
  await expect(models.row(name)).toHaveCount(0);
  await page.reload();
  await expect(models.row(name)).toHaveCount(0);
});

test('export downloads the model as a JSON file', async ({ page, request }) => {
  const name = unique('Exported model');
  await createViaApi(request, name);
  const models = new ModelsPage(page);
  await models.goto();
  const [download] = await Promise.all([page.waitForEvent('download'), models.row(name).getByRole('link', { name: 'Export', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^exported-model-.*-v1\.json$/);
  const path = await download.path();
  const fs = await import('node:fs');
  expect(JSON.parse(fs.readFileSync(path!, 'utf8')).name).toBe(name);
});
