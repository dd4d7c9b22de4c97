/**
 * A design review, two accounts in one workspace (Chromium). The author saves
 * a version with a race and opens a review; the reviewer opens the server's
 * trace of the race, comments on trace step 5 and on a step card, and
 * requests changes; the author fixes the race with a cas and moves the review
 * to that version: the verdict diff says violation → pass (verified) and the
 * trace-step comment is outdated but still readable, at its step; the
 * reviewer approves, and the model page shows the approved version. A thread's
 * share link shows it read-only, in context, to anyone holding it.
 *
 * Setup goes through the API (the model and the version with the race);
 * every review step, and the fix, go through the UI.
 */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, signedInContext, test } from './fixtures';
import { uniqueName } from './pages/check-page';
import { EditorPage } from './pages/editor-page';

const SCENARIO = 'two-deletes';

/** Two deletes of one share, each checking the status and writing it in a later step: both call the driver. */
function raceDocument(name: string, description: string) {
  return {
    name,
    description,
    resources: [
      {
        name: 'Share',
        states: [
          { name: 'available', kind: 'stable' },
          { name: 'deleting', kind: 'transitional' },
          { name: 'deleted', kind: 'terminal' },
        ],
        initial: 'available',
        transitions: [
          { from: 'available', to: 'deleting', name: 'delete' },
          { from: 'deleting', to: 'deleted', name: 'deleted' },
        ],
      },
    ],
    locks: [],
    operations: [
      {
        name: 'deleteShare',
        params: [{ name: 'share', type: 'Share' }],
        steps: [
          { kind: 'read', local: 'status', expr: 'share.state', label: 'check-status' },
          { kind: 'require', cond: 'status == "available"', message: 'share is busy' },
          { kind: 'write', target: 'share.state', value: '"deleting"', label: 'mark-deleting' },
          { kind: 'call', name: 'driver.delete_share', long: true, label: 'driver-delete' },
          { kind: 'write', target: 'share.state', value: '"deleted"', label: 'mark-deleted' },
        ],
      },
    ],
    invariants: [],
    scenarios: [
      {
        name: SCENARIO,
        description: 'Two simultaneous deletes of one share: only one may call the driver.',
        instances: [{ name: 'share1', type: 'Share', state: 'available' }],
        processes: [{ name: 'delete', operation: 'deleteShare', args: { share: 'share1' }, count: 2 }],
        invariants: [{ name: 'one-driver-delete', expr: 'at(deleteShare, "driver-delete") <= 1' }],
        expect: { verdict: 'pass' },
      },
    ],
  };
}

async function createModel(request: APIRequestContext, document: unknown): Promise<string> {
  const r = await request.post('/api/models', { data: { document } });
  expect(r.status()).toBe(201);
  return (await r.json()).model.id;
}

async function saveVersion(request: APIRequestContext, id: string, baseVersion: number, document: unknown, message: string): Promise<number> {
  const r = await request.post(`/api/models/${id}/versions`, { data: { baseVersion, document, message } });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()).version.number;
}

const verdictRow = (page: Page, scenario: string) => page.locator(`[data-testid="verdict-row"][data-scenario="${scenario}"]`);
const threadOn = (page: Page, anchor: RegExp) => page.getByTestId('review-thread').filter({ has: page.getByTestId('thread-anchor').filter({ hasText: anchor }) });

async function pickAnchor(form: Locator, optionText: string) {
  const select = form.getByLabel('About');
  const value = await select.locator('option', { hasText: optionText }).first().getAttribute('value');
  await select.selectOption(value!);
}

test('a design review: comment on the trace, request changes, fix with a cas, see the verdicts move, approve', async ({ page, request, browser, baseURL }) => {
  test.setTimeout(240_000);
  const name = uniqueName('Reviewed share delete');
  const race = raceDocument(name, 'Deleting a share.');
  const id = await createModel(request, race);
  // The reviewer: a second member of the workspace (an editor), in their own browser.
  const reviewer = await signedInContext(browser, baseURL!, 'editor');
  // The author's version with the race (the design as it is, now documented).
  await saveVersion(request, id, 1, { ...race, description: 'Deleting a share: check the status, mark it deleting, call the driver.' }, 'document the delete path');

  // 1. The author opens a review of v2 from the model page: base v1 by default (no approved version yet).
  await page.goto(`/models/${id}`);
  const reviews = page.getByTestId('model-reviews');
  await expect(reviews.getByTestId('approved-version-none')).toBeVisible();
  await reviews.getByRole('button', { name: 'Open review' }).click();
  const open = page.getByRole('form', { name: 'Open a review' });
  await expect(open.getByLabel('Version to review')).toHaveValue('2');
  await expect(open.getByLabel('Compare with')).toHaveValue('1');
  await open.getByLabel('Title').fill('Delete path, documented');
  await open.getByRole('button', { name: 'Open review' }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${id}/reviews/1$`));
  const reviewUrl = page.url();
  await expect(page.getByTestId('review-title')).toContainText('Delete path, documented');
  await expect(page.getByTestId('review-versions')).toHaveText('v2 against v1');
  // The author may not approve their own review (there is another member).
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  try {
    const r = await reviewer.newPage();
    await r.goto(reviewUrl);
    // 2. The server checks both versions; the diff is pending, then ready.
    const row = verdictRow(r, SCENARIO);
    await expect(row, 'the server checks every scenario of both versions').toBeVisible({ timeout: 90_000 });
    await expect(row.getByTestId('verdict-after').getByTestId('verdict-text')).toHaveText('violation (invariant)');
    await expect(row.getByTestId('verdict-after').getByTestId('verification-badge')).toHaveText('verified');

    // 3. The reviewer opens the naive run's trace and comments on step 5.
    await row.getByTestId('verdict-after').getByRole('button', { name: `Open the trace of ${SCENARIO} at v2` }).click();
    const trace = r.getByTestId('review-trace');
    await expect(trace.getByTestId('trace-view')).toHaveAttribute('data-steps', '6');
    await trace.getByTestId('trace-slider').fill('5');
    await expect(trace.getByTestId('trace-step-label')).toHaveText('Step 5 of 6');
    await trace.getByRole('button', { name: 'Comment on this step' }).click();
    const onStep = r.getByRole('form', { name: `Comment on trace step 5 of ${SCENARIO} (v2)` });
    await onStep.getByRole('textbox', { name: 'Comment' }).fill('delete#2 still acts on the status it read before delete#1 wrote deleting.');
    await onStep.getByRole('button', { name: 'Comment' }).click();
    const traceThread = threadOn(r, new RegExp(`trace step 5 of ${SCENARIO}`));
    await expect(traceThread).toHaveAttribute('data-status', 'current');

    // 4. …and on the step card of the check that races.
    const start = r.getByRole('form', { name: 'Start a thread' });
    await pickAnchor(start, 'deleteShare step 2 (require)');
    await start.getByRole('textbox', { name: 'Comment' }).fill('Checking and writing in separate steps is the race: use a cas.');
    await start.getByRole('button', { name: 'Comment' }).click();
    const stepThread = threadOn(r, /deleteShare step 2/);
    await expect(stepThread.getByTestId('thread-comment')).toContainText('use a cas');
    await stepThread.getByRole('button', { name: 'Show in context' }).click();
    await expect(stepThread.getByTestId('anchor-step').getByTestId('step-summary')).toContainText('status == "available"');

    // A thread on a state highlights its node on the (read-only) canvas.
    await pickAnchor(start, 'Share.deleting');
    await start.getByRole('textbox', { name: 'Comment' }).fill('Who moves a share out of deleting when the driver fails?');
    await start.getByRole('button', { name: 'Comment' }).click();
    const stateThread = threadOn(r, /state Share\.deleting/);
    await stateThread.getByRole('button', { name: 'Show in context' }).click();
    await expect(stateThread.locator('.react-flow__node.selected')).toContainText('deleting');
    await expect(stateThread.getByRole('button', { name: '+ State' }), 'nothing to edit on a review').toHaveCount(0);

    // 5. A thread's link shows it read-only, in context, to anyone holding it.
    await stepThread.getByRole('button', { name: 'Copy link' }).click();
    const link = await stepThread.getByTestId('thread-link').getByRole('link').getAttribute('href');
    const anonymous = await browser.newContext();
    try {
      const a = await anonymous.newPage();
      await a.goto(link!);
      await expect(a.getByTestId('shared-thread')).toContainText('use a cas');
      await expect(a.getByTestId('anchor-step').getByTestId('step-summary')).toContainText('status == "available"');
      await expect(a.getByRole('button', { name: 'Reply' })).toHaveCount(0);
      // A trace-step thread's link opens the trace at that step.
      await traceThread.getByRole('button', { name: 'Copy link' }).click();
      await a.goto((await traceThread.getByTestId('thread-link').getByRole('link').getAttribute('href'))!);
      await expect(a.getByTestId('shared-thread').getByTestId('thread-comment')).toContainText('delete#2 still acts on the status it read');
      await expect(a.getByTestId('trace-view')).toHaveAttribute('data-step', '5');
      await expect(a.getByTestId('trace-step-label')).toHaveText('Step 5 of 6');
    } finally {
      await anonymous.close();
    }

    // 6. The reviewer requests changes.
    await r.getByRole('button', { name: 'Request changes' }).click();
    await expect(r.getByTestId('review-outcome')).toHaveText('changes requested');

    // 7. The author fixes the race in the editor — the check, the test and the write become one cas — saves a version, and moves the review to it.
    const editor = new EditorPage(page);
    await editor.goto(id);
    await editor.openOperation('deleteShare');
    for (let i = 0; i < 3; i++) await editor.topSteps().first().getByRole('button', { name: 'Delete step' }).click();
    await editor.addTopStep('cas');
    const cas = editor.topSteps().filter({ has: page.getByTestId('step-summary').filter({ hasText: /^cas / }) });
    for (let i = 0; i < 2; i++) await cas.getByRole('button', { name: 'Move step up' }).click();
    // A new cas on a share starts as `cas share.state from [available] to deleting, else abort`: the fix.
    await expect(editor.stepSummaries()).toHaveText([/^cas share\.state/, /^call driver\.delete_share/, /^write share\.state = "deleted"/]);
    await editor.saveDraftAs(3, 'cas into deleting');
    const fixed = 3;
    const saved = await (await request.get(`/api/models/${id}/versions/3`)).json();
    expect(saved.version.document.operations[0].steps).toEqual([
      { kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' },
      ...race.operations[0].steps.slice(3),
    ]);
    await page.goto(reviewUrl);
    await expect(page.getByTestId('review-outcome')).toHaveText('changes requested');
    await page.getByRole('button', { name: `Move to version ${fixed}` }).click();
    await expect(page.getByTestId('review-versions')).toHaveText(`v${fixed} against v1`);
    const after = verdictRow(page, SCENARIO);
    await expect(after.getByTestId('verdict-after').getByTestId('verdict-text')).toHaveText('pass', { timeout: 90_000 });
    await expect(after.getByTestId('verdict-changes')).toContainText('violation → pass');
    await expect(after.getByTestId('verdict-after').getByTestId('verification-badge')).toHaveText('verified');
    await expect(after.getByTestId('verdict-before').getByTestId('verdict-text')).toHaveText('violation (invariant)');

    // The comment on the trace step is outdated, and still readable at its step.
    const outdated = threadOn(page, new RegExp(`trace step 5 of ${SCENARIO}`));
    await expect(outdated).toHaveAttribute('data-status', 'outdated');
    await expect(outdated.getByTestId('thread-status')).toHaveText('outdated');
    await expect(outdated.getByTestId('thread-comment')).toContainText('delete#2 still acts on the status it read');
    await outdated.getByRole('button', { name: 'Show the trace at this step' }).click();
    await expect(outdated.getByTestId('trace-view')).toHaveAttribute('data-step', '5');
    await expect(outdated.getByTestId('trace-step-label')).toHaveText('Step 5 of 6');

    // 8. The reviewer approves the fixed version.
    await r.goto(reviewUrl);
    await expect(r.getByTestId('review-versions')).toHaveText(`v${fixed} against v1`);
    await r.getByRole('button', { name: 'Approve' }).click();
    await expect(r.getByTestId('review-outcome')).toHaveText('approved');
  } finally {
    await reviewer.close();
  }

  // 9. The model page shows the approved version.
  await page.goto(`/models/${id}`);
  await expect(page.getByTestId('model-reviews').getByTestId('approved-version')).toHaveText(`approved: v3`);
  await page.getByTestId('model-reviews').getByRole('link', { name: 'All reviews' }).click();
  await expect(page.getByRole('heading', { name: `Reviews of ${name}` })).toBeVisible();
  await expect(page.getByTestId('approved-version')).toContainText('Approved: v3 (review #1)');
  await expect(page.getByTestId('review-item')).toHaveAttribute('data-outcome', 'approved');
});
