import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, signedInContext, test } from './fixtures';
import { EditorPage, createModel, shareExample } from './pages/editor-page';
import { TEST_ADMIN } from '../tests/helpers/api-session';

test.use({ viewport: { width: 1440, height: 900 } });

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** A fresh copy of the share example under its own name, opened in the editor. */
async function openShare(page: Page, request: Parameters<typeof createModel>[0], label: string) {
  const id = await createModel(request, { ...shareExample(), name: unique(label) });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(7);
  return { id, editor };
}

test('add a state with the button and by double-clicking the canvas', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Add state');
  await editor.addStateWithButton();
  await expect(editor.states()).toHaveCount(8);
  await expect(editor.state('state')).toBeVisible();
  await expect(page.getByTestId('state-inspector')).toBeVisible();
  await editor.addStateByDoubleClick(60, 60);
  await expect(editor.state('state_2')).toBeVisible();
  await expect(editor.states()).toHaveCount(9);
  // Autosave records the new states in the draft; Save version makes them version 2 (the model still validates).
  await editor.saveDraftAs(2);
});

test('connect a transition by dragging between handles, then delete it', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Connect');
  await expect(editor.edges()).toHaveCount(10);
  await editor.connect('error_deleting', 'error');
  await expect(editor.edges()).toHaveCount(11);
  await editor.saveDraftAs(2);
  // Select the new edge by clicking its path (halfway along it: a routed edge bends, so the middle of its box may be off the path) and delete it.
  const mid = await editor.page.locator('.react-flow__edge[data-id="t:10"] path.react-flow__edge-path').evaluate((el: SVGPathElement) => {
    const p = el.getPointAtLength(el.getTotalLength() / 2);
    const m = el.getScreenCTM()!;
    return { x: p.x * m.a + m.e, y: p.y * m.d + m.f };
  });
  await editor.page.mouse.click(mid.x, mid.y);
  await expect(page.getByTestId('transition-inspector')).toContainText('error_deleting');
  await page.getByTestId('delete-transition').click();
  await expect(editor.edges()).toHaveCount(10);
});

test('rename a state inline; transitions, scenarios and operations follow', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Rename');
  await editor.renameInline('error_deleting', 'delete_failed');
  await expect(editor.state('delete_failed')).toBeVisible();
  await expect(editor.state('error_deleting')).toHaveCount(0);
  await expect(editor.edges()).toHaveCount(10);
  // Operations that wrote "error_deleting" follow the rename; the model still validates and saves.
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
  await editor.saveDraftAs(2);
  await editor.openOperation('deleteShare');
  await expect(editor.pseudocode()).toContainText('write share.state = "delete_failed"');
});

test('deleting a state is refused while operations, invariants or scenarios use it', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Delete refused');
  await editor.select('deleting');
  await editor.deleteSelected();
  const refused = page.getByTestId('delete-refused');
  await expect(refused).toContainText("Cannot delete state 'deleting'");
  await expect(refused).toContainText('deleteShare');
  await expect(editor.states()).toHaveCount(7);
  // A state nothing refers to can go, with its edges.
  await editor.addStateWithButton();
  await expect(editor.states()).toHaveCount(8);
  await page.getByTestId('delete-state').click();
  await expect(editor.states()).toHaveCount(7);
  // Operations (and resources, locks) that something uses are refused the same way.
  await editor.openOperation('deleteShare');
  await page.getByRole('button', { name: 'Delete operation' }).click();
  await expect(page.getByTestId('delete-refused')).toContainText("Cannot delete operation deleteShare");
  await expect(page.getByTestId('delete-refused')).toContainText("unknown operation 'deleteShare'");
  await expect(page.getByTestId('operation-tab')).toHaveCount(5);
});

test('add steps and reorder them by keyboard and by drag', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Steps');
  await editor.openOperation('createSnapshot');
  await expect(editor.topSteps()).toHaveCount(4);
  await editor.addTopStep('return');
  await expect(editor.topSteps()).toHaveCount(5);
  await expect(editor.stepSummaries().nth(4)).toHaveText('return');
  // Keyboard: the new step's handle has focus; Alt+↑ moves it up.
  await page.keyboard.press('Alt+ArrowUp');
  await expect(editor.stepSummaries().nth(3)).toHaveText('return');
  // Drag: the return step by its handle onto the top edge of the step above it.
  await editor.topSteps().nth(2).scrollIntoViewIfNeeded();
  await editor.topSteps().nth(3).locator('[data-step-handle]').first().dragTo(editor.topSteps().nth(2), { targetPosition: { x: 40, y: 6 } });
  await expect(editor.stepSummaries().nth(2)).toHaveText('return');
  await expect(editor.stepSummaries().nth(3)).toHaveText('call driver.create_snapshot long');
  await expect(editor.pseudocode()).toContainText('  return\n  call driver.create_snapshot long');
  await expect(editor.topSteps().nth(4)).toHaveAttribute('data-kind', 'atomic');
  // Nest by keyboard: an if, then an abort moved into its then-block with Alt+→, and out again with Alt+←.
  await editor.addTopStep('if');
  await editor.addTopStep('abort');
  await expect(editor.topSteps()).toHaveCount(7);
  await page.keyboard.press('Alt+ArrowRight');
  await expect(editor.topSteps()).toHaveCount(6);
  const nested = editor.topSteps().nth(5).locator('[data-testid="step-card"]');
  await expect(nested).toHaveAttribute('data-kind', 'abort');
  await expect(editor.pseudocode()).toContainText('if share.state == "creating"\n  then {\n    abort "failed"');
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(editor.topSteps()).toHaveCount(7);
  await expect(editor.topSteps().nth(6)).toHaveAttribute('data-kind', 'abort');
});

test('duplicate an operation, then add steps after the selected one with defaults from context', async ({ page, request }) => {
  const { id, editor } = await openShare(page, request, 'Duplicate op');
  await editor.openOperation('deleteShareNaive');
  const original = await editor.stepSummaries().allTextContents();
  await editor.duplicateOperation();
  // The copy sits right after the original, opened, with the same steps.
  await expect(page.locator('#op-name')).toHaveValue('deleteShareNaive_copy');
  await expect(page.getByTestId('operation-tab')).toHaveCount(6);
  await expect(page.getByTestId('operation-tab').nth(1)).toContainText('deleteShareNaive_copy');
  await expect(editor.stepSummaries()).toHaveText(original);
  // Select the first step (`read status = share.state`): the next step goes right after it, not at the end.
  await editor.selectStep(0);
  await expect(page.locator('section[aria-label="Operation"] > [data-testid="step-block"]').getByRole('button', { name: '+ Add step after 1' })).toBeVisible();
  await editor.addTopStep('require');
  await expect(editor.topSteps()).toHaveCount(original.length + 1);
  // Its condition uses the local just read, not the shared state.
  await expect(editor.stepSummaries().nth(1)).toHaveText('require status == "creating" else abort "requirement failed"');
  // The new step is now the selected one: the next goes after it; a call is named after the operation.
  await expect(editor.topSteps().nth(1)).toHaveAttribute('data-selected', 'true');
  await editor.addTopStep('call');
  await expect(editor.stepSummaries().nth(2)).toHaveText('call driver.delete_share_naive');
  await expect(editor.stepSummaries().nth(original.length + 1)).toHaveText(original.at(-1)!);
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
  await editor.saveDraftAs(2);
  const saved = (await (await request.get(`/api/models/${id}`)).json()).model.head.document;
  expect(saved.operations.map((o: { name: string }) => o.name)).toEqual(['deleteShareNaive', 'deleteShareNaive_copy', 'createSnapshotNaive', 'deleteShare', 'createSnapshot', 'deleteShareConditional']);
  expect(saved.operations[0].steps).toHaveLength(original.length);
  expect(saved.operations[1].steps).toHaveLength(original.length + 2);
});

test('duplicate a scenario, and a model from its page', async ({ page, request }) => {
  const { id, editor } = await openShare(page, request, 'Duplicate more');
  await editor.open('Scenarios');
  await page.getByTestId('scenario-tab').filter({ hasText: 'naive-two-deletes' }).click();
  await page.getByTestId('duplicate-scenario').click();
  await expect(page.getByTestId('scenario-tab').nth(2)).toContainText('naive-two-deletes_copy');
  await expect(page.locator('[data-path="scenarios[2].name"]')).toHaveValue('naive-two-deletes_copy');
  await editor.saveDraftAs(2);
  // The model page's Duplicate makes a new model in the same workspace from the head version.
  await page.goto(`/models/${id}`);
  const name = await page.getByTestId('model-name').textContent();
  await page.getByTestId('duplicate-model').click();
  await expect(page.getByTestId('model-name')).toHaveText(`${name} copy`, { timeout: 15_000 });
  expect(page.url()).not.toContain(id);
  const copyId = page.url().split('/models/')[1];
  const copy = (await (await request.get(`/api/models/${copyId}`)).json()).model;
  expect(copy.head.document.scenarios.map((s: { name: string }) => s.name)).toContain('naive-two-deletes_copy');
  expect(copy.workspaceId).toBe((await (await request.get(`/api/models/${id}`)).json()).model.workspaceId);
});

test('a scenario overrides every field of a lock, not only its backend', async ({ page, request }) => {
  const example = JSON.parse(readFileSync(fileURLToPath(new URL('../examples/lock-scope.json', import.meta.url)), 'utf8'));
  const id = await createModel(request, { ...example, name: unique('Lock override') });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.open('Scenarios');
  await page.getByTestId('scenario-tab').filter({ hasText: 'file-lock-two-nodes-harm' }).click();
  const lock = page.getByTestId('lock-override').filter({ hasText: 'share-lock' });
  // Empty choices say what applies without them: here the file backend's defaults.
  await expect(lock.getByLabel('scope')).toHaveValue('');
  await expect(lock.getByLabel('scope').locator('option').first()).toHaveText('default (node)');
  await lock.getByLabel('scope').selectOption('cluster');
  await lock.getByLabel('on crash').selectOption('never');
  await lock.getByLabel('lease can expire').selectOption({ label: 'yes' });
  await lock.getByLabel('fencing').selectOption({ label: 'yes' });
  await expect(lock).toContainText('in this scenario: file, cluster scope, on crash never, lease can expire, fencing');
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
  await editor.saveDraftAs(2);
  const saved = (await (await request.get(`/api/models/${id}`)).json()).model.head.document;
  expect(saved.scenarios.find((s: { name: string }) => s.name === 'file-lock-two-nodes-harm').locks).toEqual({ 'share-lock': { scope: 'cluster', onCrash: 'never', leaseCanExpire: true, fencing: true } });
});

test('an invalid expression shows its error inline and in the problems panel; a click focuses it', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Invalid expr');
  await editor.openOperation('deleteShareNaive');
  const cond = editor.topSteps().nth(1).getByTestId('expr-input');
  await cond.fill('status == "deletng"');
  const problem = editor.topSteps().nth(1).getByTestId('field-problem');
  await expect(problem).toContainText("did you mean 'deleting'");
  // Kept in the draft, but it cannot become a version until the problem is fixed.
  await expect(editor.saveStatus()).toContainText('1 problem');
  await expect(editor.saveVersionButton()).toBeDisabled();
  await expect(editor.saveVersionButton()).toHaveAttribute('title', 'Fix 1 problem first');
  await editor.open('State machines');
  await editor.problems().first().click();
  await expect(page.locator('#op-name')).toHaveValue('deleteShareNaive');
  await expect(cond).toBeFocused();
  // Fix it with the model's vocabulary: the state names are one click away while the field has focus.
  await cond.fill('status ==');
  await editor.topSteps().nth(1).getByRole('button', { name: '"deleting"', exact: true }).click();
  await expect(cond).toHaveValue('status == "deleting"');
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
});

test('work that cannot be saved yet survives a reload as a draft', async ({ page, request }) => {
  const { id, editor } = await openShare(page, request, 'Draft');
  await editor.openOperation('deleteShareNaive');
  await editor.topSteps().nth(1).getByTestId('expr-input').fill('status == "gone"');
  await expect(editor.saveStatus()).toContainText('1 problem');
  // The invalid document is kept in the server-side draft, not as a version.
  await editor.waitDraftSaved(1);
  await page.reload();
  await expect(page.getByTestId('editor-title')).toBeVisible();
  await editor.waitDraftSaved(1);
  await expect(page.getByTestId('problems-count')).toContainText('1 error');
  expect((await (await request.get(`/api/models/${id}/versions`)).json()).versions).toHaveLength(1);
  await editor.openOperation('deleteShareNaive');
  await expect(editor.topSteps().nth(1).getByTestId('expr-input')).toHaveValue('status == "gone"');
});

test('undo and redo every edit with Ctrl+Z and Ctrl+Shift+Z', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Undo');
  await editor.addStateWithButton();
  await editor.renameInline('state', 'archived');
  await expect(editor.state('archived')).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor.state('state')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor.states()).toHaveCount(7);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(editor.state('archived')).toBeVisible();
  // Form edits undo too.
  await editor.openOperation('deleteShare');
  await page.getByLabel('Description').fill('changed');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByLabel('Description')).toHaveValue(/One transaction checks/);
});

test('two people edit at once: the second one’s save merges with the first one’s version, naming its author, and nothing is overwritten', async ({ browser, request, baseURL }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Conflict') });
  // Two accounts: the administrator and an editor of the same workspace.
  const alice = await signedInContext(browser, baseURL!, 'admin');
  const bob = await signedInContext(browser, baseURL!, 'editor');
  try {
    const a = new EditorPage(await alice.newPage());
    const b = new EditorPage(await bob.newPage());
    await a.goto(id);
    await b.goto(id);
    await a.waitForCanvas(7);
    await b.waitForCanvas(7);
    await a.addStateWithButton();
    await a.saveDraftAs(2, 'alice adds a state');

    await b.addStateByDoubleClick(40, 40);
    await b.renameInline('state', 'archived');
    // Bob's work is his draft, based on version 1; the history holds Alice's version only.
    await b.waitDraftSaved(1);
    const versions = await (await request.get(`/api/models/${id}/versions`)).json();
    expect(versions.versions).toHaveLength(2);

    await b.saveVersion('bob adds archived');
    await expect(b.saveNotice()).toContainText(`Merged with version 2 by ${TEST_ADMIN.name} and saved as version 3`);
    await b.waitSaved(3);
    // Both states are in Bob's editor and in version 3: Alice's was not overwritten, Bob's was not dropped.
    await b.waitForCanvas(9);
    await expect(b.state('state')).toBeVisible();
    await expect(b.state('archived')).toBeVisible();
    const v3 = (await (await request.get(`/api/models/${id}/versions/3`)).json()).version;
    expect(v3.document.resources[0].states.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['state', 'archived']));
    expect(v3.basedOn).toBe(2);

    // Another tab of Bob's opens the latest version, with no draft left over.
    const c = new EditorPage(await bob.newPage());
    await c.goto(id);
    await c.waitForCanvas(9);
    await c.waitSaved(3);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a version saved elsewhere meanwhile is merged into the next save, and the editor shows the result', async ({ browser, request, baseURL }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Reload') });
  const ctx = await signedInContext(browser, baseURL!, 'editor');
  try {
    const a = new EditorPage(await ctx.newPage());
    await a.goto(id);
    await a.waitForCanvas(7);
    // Someone else (the administrator) saves version 2 through the API.
    const doc = { ...shareExample(), name: 'Changed elsewhere' };
    expect((await request.post(`/api/models/${id}/versions`, { data: { baseVersion: 1, document: doc } })).status()).toBe(201);
    await a.addStateWithButton();
    await a.waitDraftSaved(1);
    await a.saveVersion();
    await expect(a.saveNotice()).toContainText(`Merged with version 2 by ${TEST_ADMIN.name}`);
    await expect(a.page.getByTestId('editor-title')).toHaveText('Changed elsewhere');
    await a.waitForCanvas(8);
    await a.waitSaved(3);
  } finally {
    await ctx.close();
  }
});

test('open a past version read-only, see the diff, and restore it as a new version', async ({ page, request }) => {
  const { id, editor } = await openShare(page, request, 'Restore');
  await editor.select('error_deleting');
  await page.getByRole('radio', { name: /terminal/ }).check();
  await editor.saveDraftAs(2);
  await editor.open('History');
  await expect(page.getByTestId('editor-version')).toHaveCount(2);
  await expect(page.getByTestId('diff-entry').first()).toContainText('error_deleting');
  await expect(page.getByTestId('diff-entry').first()).toContainText('error → terminal');
  await page.getByTestId('editor-version').nth(1).getByRole('button', { name: 'Open read-only' }).click();
  await expect(page.getByTestId('viewing-banner')).toContainText('version 1');
  await editor.open('State machines');
  await expect(editor.state('error_deleting')).toHaveAttribute('data-kind', 'error');
  await expect(page.getByRole('button', { name: '+ State' })).toBeDisabled();
  await page.getByRole('button', { name: 'Restore as a new version' }).click();
  // Restoring fills the draft and opens Save version with the message filled in.
  await expect(page.getByTestId('save-version-dialog').getByLabel('What changed')).toHaveValue('Restored version 1');
  await page.getByTestId('save-version-dialog').getByRole('button', { name: 'Save version' }).click();
  await editor.waitSaved(3);
  await expect(editor.state('error_deleting')).toHaveAttribute('data-kind', 'error');
  await expect
    .poll(async () => (await (await request.get(`/api/models/${id}/versions`)).json()).versions[0])
    .toMatchObject({ number: 3, message: 'Restored version 1' });
});

test('the JSON view round-trips with the visual editor', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'JSON');
  await editor.renameInline('creating', 'provisioning');
  await editor.open('JSON');
  await expect(editor.jsonEditor()).toContainText('"provisioning"');
  // Edit the JSON: rename a state there; the canvas follows.
  const doc = shareExample() as { resources: Array<{ states: Array<{ name: string }>; transitions: unknown[] }> };
  doc.resources[0].states.push({ name: 'archived', kind: 'terminal' } as { name: string });
  await editor.replaceJson(JSON.stringify(doc, null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await editor.open('State machines');
  await editor.waitForCanvas(8);
  await expect(editor.state('archived')).toHaveAttribute('data-kind', 'terminal');
  await expect(editor.state('creating')).toBeVisible();
  // Broken JSON is not applied.
  await editor.open('JSON');
  await editor.replaceJson('{"name": "half');
  await expect(page.getByTestId('json-status')).toContainText('Not applied');
  await expect(page.getByTestId('json-editor').locator('.cm-lint-marker-error')).toBeVisible();
  await editor.open('State machines');
  await editor.waitForCanvas(8);
});

test('scenario lanes: dragging a process to another node moves it', async ({ page, request }) => {
  const { editor } = await openShare(page, request, 'Lanes');
  await editor.open('Scenarios');
  await page.getByRole('button', { name: '+ Node' }).click();
  await page.getByRole('button', { name: '+ Node' }).click();
  const lanes = page.getByTestId('lane');
  await expect(lanes).toHaveCount(3); // node1, node2, not placed
  await page.locator('[data-testid="process-card"][data-process="delete"]').getByTestId('process-grip').dragTo(lanes.nth(1), { targetPosition: { x: 150, y: 60 } });
  await expect(lanes.nth(1).locator('[data-testid="process-card"]')).toHaveAttribute('data-process', 'delete');
  await page.locator('[data-testid="process-card"][data-process="snapshot"]').getByTestId('process-grip').dragTo(lanes.nth(0), { targetPosition: { x: 150, y: 60 } });
  await expect(lanes).toHaveCount(2);
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
});

test('design a small lifecycle from an empty model with the mouse and keyboard only', async ({ page, request }) => {
  const r = await request.post('/api/models', { data: { name: unique('From scratch') } });
  const id = (await r.json()).model.id;
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(1);
  // The resource.
  await page.locator('#resource-name').fill('Share');
  await page.locator('#resource-name').press('Enter');
  await expect(page.getByTestId('resource-tab').first()).toContainText('Share');
  // Two more states, named inline, with their kinds.
  for (const [name, kind] of [['deleting', 'transitional'], ['deleted', 'terminal']] as const) {
    await editor.addStateWithButton();
    await editor.renameInline('state', name);
    await editor.select(name);
    await page.getByRole('radio', { name: new RegExp(`^${kind}`) }).check();
    await expect(editor.state(name)).toHaveAttribute('data-kind', kind);
  }
  // Transitions: one by dragging, one from the keyboard form.
  await editor.connect('available', 'deleting');
  await page.getByTestId('state-canvas').locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.getByLabel('From state').selectOption('deleting');
  await page.getByLabel('To state').selectOption('deleted');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(editor.edges()).toHaveCount(2);
  // An operation: cas into deleting, then write deleted.
  await editor.open('Operations');
  await page.getByRole('button', { name: '+ Operation' }).click();
  await page.locator('#op-name').fill('deleteShare');
  await page.locator('#op-name').press('Enter');
  await editor.addTopStep('cas');
  await editor.addTopStep('write');
  await editor.topSteps().nth(1).getByTestId('expr-input').nth(1).fill('"deleted"');
  await expect(editor.pseudocode()).toHaveText('deleteShare(share: Share)\n  cas share.state: [available] -> deleting else abort\n  write share.state = "deleted"');
  // A scenario running it.
  await editor.open('Scenarios');
  await page.getByRole('button', { name: '+ Scenario' }).click();
  await expect(page.getByTestId('process-card')).toHaveCount(1);
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
  await editor.saveDraftAs(2);
  const saved = (await (await request.get(`/api/models/${id}`)).json()).model.head.document;
  await expect.poll(async () => (await (await request.get(`/api/models/${id}`)).json()).model.head.document.scenarios.length).toBe(1);
  expect(saved.resources[0].name).toBe('Share');
});

test('a 200-state machine opens laid out, and a dragged state is moved and saved', async ({ page, request }) => {
  const n = 200;
  const states = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, kind: i % 7 === 3 ? 'transitional' : 'stable' }));
  const transitions = states.flatMap((s, i) => [...(i + 1 < n ? [{ from: s.name, to: `s${i + 1}` }] : []), ...(i % 5 === 4 ? [{ from: s.name, to: `s${i - 3}` }] : [])]);
  const id = await createModel(request, { name: unique('Big machine'), resources: [{ name: 'Big', states, initial: 's0', transitions }] });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await expect(editor.states().first()).toBeVisible();
  // Only what is in view is rendered, readable rather than shrunk to fit.
  expect(await editor.states().count()).toBeLessThan(n);
  const node = editor.states().first();
  const name = await node.getAttribute('data-state');
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + 20);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 30 + i * 6, box.y + 20 + i * 3);
  await page.mouse.up();
  await editor.saveDraftAs(2);
  const doc = (await (await request.get(`/api/models/${id}`)).json()).model.head.document;
  expect(Object.keys(doc.layout.resources.Big)).toHaveLength(n);
  expect(doc.layout.resources.Big[name!].x).toBeGreaterThan(0);
});
