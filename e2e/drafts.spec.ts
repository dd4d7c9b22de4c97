/**
 * Drafts and versions, as two people on one model see them: edits autosave to
 * each person's draft (on the server), Save version makes the next version,
 * and a save based on an older version merges three-way; real conflicts are
 * settled in the merge view.
 */
import type { APIRequestContext } from '@playwright/test';
import { expect, signedInContext, test } from './fixtures';
import { EditorPage, createModel, shareExample } from './pages/editor-page';
import { TEST_ADMIN } from '../tests/helpers/api-session';

test.use({ viewport: { width: 1440, height: 900 } });

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
/** The name inviteMember gives the second account (tests/helpers/api-session.ts). */
const EDITOR_NAME = 'editor user';

async function version(request: APIRequestContext, id: string, n: number) {
  const r = await request.get(`/api/models/${id}/versions/${n}`);
  expect(r.status()).toBe(200);
  return (await r.json()).version;
}

async function versionCount(request: APIRequestContext, id: string): Promise<number> {
  return (await (await request.get(`/api/models/${id}/versions`)).json()).versions.length;
}

test('two people edit different operations at once, both save, nothing is lost; then the same step, settled in the merge view', async ({ browser, request, baseURL }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Two editors') });
  const alice = await signedInContext(browser, baseURL!, 'admin');
  const bob = await signedInContext(browser, baseURL!, 'editor');
  try {
    const a = new EditorPage(await alice.newPage());
    const b = new EditorPage(await bob.newPage());
    await Promise.all([a.goto(id), b.goto(id)]);
    await Promise.all([a.openOperation('deleteShareNaive'), b.openOperation('createSnapshotNaive')]);

    // At the same time: Alice describes one operation, Bob another. Each goes to its author's draft only.
    await Promise.all([
      a.page.getByLabel('Description').fill('Alice: the read and the write race'),
      b.page.getByLabel('Description').fill('Bob: snapshot checks the share first'),
    ]);
    await Promise.all([a.waitDraftSaved(1), b.waitDraftSaved(1)]);
    expect(await versionCount(request, id)).toBe(1);

    await a.saveVersion('alice: describe deleteShareNaive');
    await expect(a.saveNotice()).toContainText('Saved version 2');
    await b.saveVersion('bob: describe createSnapshotNaive');
    await expect(b.saveNotice()).toContainText(`Merged with version 2 by ${TEST_ADMIN.name} and saved as version 3`);
    await b.waitSaved(3);
    // Bob's editor now holds Alice's edit too.
    await b.openOperation('deleteShareNaive');
    await expect(b.page.getByLabel('Description')).toHaveValue('Alice: the read and the write race');

    const v3 = await version(request, id, 3);
    const op = (name: string) => v3.document.operations.find((o: { name: string }) => o.name === name);
    expect(op('deleteShareNaive').description).toBe('Alice: the read and the write race');
    expect(op('createSnapshotNaive').description).toBe('Bob: snapshot checks the share first');
    expect(v3).toMatchObject({ author: EDITOR_NAME, message: 'bob: describe createSnapshotNaive', basedOn: 2 });

    // Now both change the same step: the condition of deleteShareNaive's step 2 (Alice is still on version 2).
    const cond = (e: EditorPage) => e.topSteps().nth(1).getByTestId('expr-input');
    await a.openOperation('deleteShareNaive');
    await Promise.all([cond(a).fill('status == "available"'), cond(b).fill('status in ["available", "deleting"]')]);
    await Promise.all([a.waitDraftSaved(2), b.waitDraftSaved(3)]);

    // Alice saves first: Bob's version 3 touched other things, so hers merges cleanly into version 4.
    await a.saveVersion('alice: only available shares');
    await expect(a.saveNotice()).toContainText(`Merged with version 3 by ${EDITOR_NAME} and saved as version 4`);

    // Bob's save conflicts on that one condition: the merge view shows base, theirs (with the author) and his.
    await b.saveVersion('bob: busy shares too');
    const view = b.page.getByTestId('merge-view');
    await expect(view).toBeVisible();
    await expect(view).toContainText(`${TEST_ADMIN.name} saved version 4`);
    const conflicts = view.getByTestId('merge-conflict');
    await expect(conflicts).toHaveCount(1);
    const conflict = conflicts.first();
    await expect(conflict).toContainText('deleteShareNaive');
    await expect(conflict).toContainText('operations[0].steps[1].cond');
    await expect(conflict.locator('[data-side="base"]')).toContainText('status == "available" || status == "error"');
    await expect(conflict.locator('[data-side="head"]')).toContainText(`Theirs (version 4, ${TEST_ADMIN.name})`);
    await expect(conflict.locator('[data-side="head"]')).toContainText('status == "available"');
    await expect(conflict.locator('[data-side="draft"]')).toContainText('status in ["available", "deleting"]');
    await expect(view.getByTestId('merge-save')).toBeDisabled();
    expect(await versionCount(request, id)).toBe(4);

    // He writes the value both meant, and saves.
    await conflict.getByRole('radio', { name: /Edit the value/ }).check();
    await conflict.getByLabel(/Merged value of/).fill('status == "available" || status == "deleting"');
    await expect(view.getByTestId('merge-progress')).toHaveText('1 of 1 resolved');
    await view.getByTestId('merge-save').click();
    await expect(b.saveNotice()).toContainText(`Merged with version 4 by ${TEST_ADMIN.name} and saved as version 5`);
    await expect(view).toHaveCount(0);
    await b.waitSaved(5);
    await b.openOperation('deleteShareNaive');
    await expect(cond(b)).toHaveValue('status == "available" || status == "deleting"');

    const v5 = await version(request, id, 5);
    const del = v5.document.operations.find((o: { name: string }) => o.name === 'deleteShareNaive');
    expect(del.steps[1].cond).toBe('status == "available" || status == "deleting"');
    expect(del.description).toBe('Alice: the read and the write race');
    expect(v5.document.operations.find((o: { name: string }) => o.name === 'createSnapshotNaive').description).toBe('Bob: snapshot checks the share first');
    expect(v5).toMatchObject({ author: EDITOR_NAME, basedOn: 4, message: 'bob: busy shares too' });
    expect(await versionCount(request, id)).toBe(5);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a draft survives a reload and follows its author to another browser; Discard draft (confirmed) goes back to the version', async ({ page, browser, request, baseURL }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Draft travels') });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitSaved(1);
  await expect(editor.saveVersionButton()).toBeDisabled();
  await editor.openOperation('deleteShare');
  await page.getByLabel('Description').fill('work in progress');
  await editor.waitDraftSaved(1);

  await page.reload();
  await editor.waitDraftSaved(1);
  await editor.openOperation('deleteShare');
  await expect(page.getByLabel('Description')).toHaveValue('work in progress');

  // The same account in another browser (another device): the same draft.
  const other = await signedInContext(browser, baseURL!, 'admin');
  try {
    const elsewhere = new EditorPage(await other.newPage());
    await elsewhere.goto(id);
    await elsewhere.waitDraftSaved(1);
    await elsewhere.openOperation('deleteShare');
    await expect(elsewhere.page.getByLabel('Description')).toHaveValue('work in progress');
  } finally {
    await other.close();
  }

  // Discarding asks first; dismissing the question keeps the draft.
  page.once('dialog', (d) => void d.dismiss());
  await page.getByTestId('discard-draft').click();
  await editor.waitDraftSaved(1);
  page.once('dialog', (d) => {
    expect(d.message()).toContain('Discard your draft?');
    void d.accept();
  });
  await page.getByTestId('discard-draft').click();
  await editor.waitSaved(1);
  await editor.openOperation('deleteShare');
  await expect(page.getByLabel('Description')).toHaveValue(/One transaction checks/);
  expect((await (await request.get(`/api/models/${id}/draft`)).json()).draft).toBeNull();
  expect(await versionCount(request, id)).toBe(1);
});

test('a 10-minute editing session (50 edits) makes one version: autosave writes the draft, Ctrl+S saves the version', async ({ page, request }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Session') });
  const editor = new EditorPage(page);
  const writes = { draft: 0, versions: 0 };
  page.on('request', (r) => {
    if (r.url().endsWith(`/api/models/${id}/draft`) && r.method() === 'PUT') writes.draft++;
    if (r.url().endsWith(`/api/models/${id}/versions`) && r.method() === 'POST') writes.versions++;
  });
  await editor.goto(id);
  await editor.openOperation('deleteShare');
  const description = page.getByLabel('Description');
  // 50 edits in bursts of 10, each burst followed by a pause long enough for autosave (as a person pauses to think).
  for (let i = 1; i <= 50; i++) {
    await description.fill(`step ${i} of the design`);
    if (i % 10 === 0) {
      await expect.poll(() => writes.draft).toBeGreaterThanOrEqual(i / 10);
      await editor.waitDraftSaved(1);
    }
  }
  expect(await versionCount(request, id)).toBe(1);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+s');
  const dialog = page.getByTestId('save-version-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('What changed').fill('describe deleteShare');
  await dialog.getByLabel('What changed').press('Enter');
  await editor.waitSaved(2);
  expect(await versionCount(request, id)).toBe(2);
  expect((await version(request, id, 2)).document.operations.find((o: { name: string }) => o.name === 'deleteShare').description).toBe('step 50 of the design');
  console.log(`50 edits: ${writes.draft} draft writes, ${writes.versions} version saved, ${(await versionCount(request, id)) - 1} new version(s)`);
  expect(writes.versions).toBe(1);
  expect(writes.draft).toBeGreaterThanOrEqual(5);
});

test('a merge that is clean but invalid keeps the draft, lists the problems, and can be fixed in the merged model', async ({ page, request }) => {
  const doc = (states: string[], initial: string) => ({
    name: 'Invalid merge',
    resources: [{ name: 'Share', states: states.map((name) => ({ name, kind: 'stable' })), initial, transitions: [] }],
  });
  const id = await createModel(request, { ...doc(['available', 'busy'], 'available'), name: 'Invalid merge' });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(2);
  // Meanwhile version 2 removes the state "busy"; this editor, still on version 1, makes it the initial state.
  expect((await request.post(`/api/models/${id}/versions`, { data: { baseVersion: 1, document: doc(['available'], 'available') } })).status()).toBe(201);
  await editor.open('JSON');
  await editor.replaceJson(JSON.stringify(doc(['available', 'busy'], 'busy'), null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await editor.waitDraftSaved(1);

  await editor.saveVersion();
  const invalid = page.getByTestId('merge-invalid');
  await expect(invalid).toContainText(`Merged with version 2 by ${TEST_ADMIN.name}, but the result is not a valid model`);
  await expect(invalid).toContainText('resources[0].initial');
  await expect(invalid).toContainText("unknown state 'busy'");
  expect(await versionCount(request, id)).toBe(2);
  expect((await (await request.get(`/api/models/${id}/draft`)).json()).draft.baseVersion).toBe(1);

  // Continue from the merge: the draft is now based on version 2 and shows the problem where it is.
  await invalid.getByRole('button', { name: 'Fix it in the merged model' }).click();
  await editor.waitDraftSaved(2);
  await expect(page.getByTestId('problems-count')).toContainText('1 error');
  await expect(editor.saveVersionButton()).toBeDisabled();
  await editor.replaceJson(JSON.stringify(doc(['available', 'paused'], 'paused'), null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await editor.waitDraftSaved(2);
  await editor.saveVersion('start paused');
  await expect(editor.saveNotice()).toContainText('Saved version 3');
  expect((await version(request, id, 3)).document.resources[0]).toMatchObject({ initial: 'paused', states: [{ name: 'available' }, { name: 'paused' }] });
});
