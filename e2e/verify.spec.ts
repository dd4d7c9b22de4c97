/**
 * Verdicts the server has verified, as a reviewer sees them: each run on the
 * check page goes from "reported" to "verified"; a share link to a forged
 * PASS says REFUTED at the top and shows the server's trace; a long trace's
 * share link pages through its states.
 */
import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, example, uniqueName } from './pages/check-page';
import { attackDocument, attackRun } from '../bench/worst-run.mjs';

const NAIVE = 'naive-delete-vs-snapshot';
const FIXED = 'fixed-delete-vs-snapshot';

test('every verdict on the check page is reported, then verified by the server', async ({ page, request }) => {
  const id = await createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName('Verified runs') });
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run('all');
  for (const scenario of [NAIVE, FIXED]) {
    await expect(check.verdict(scenario)).toBeVisible();
    await expect(check.row(scenario).getByTestId('verification-badge')).toHaveAttribute('data-status', 'verified', { timeout: 30_000 });
    await expect(check.row(scenario).getByTestId('verification-badge')).toHaveText('verified');
  }
});

test('a share link to a forged PASS says REFUTED at the top, with the server trace', async ({ page, request, browser }) => {
  const id = await createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName('Forged pass') });
  const forged = {
    scenario: NAIVE,
    mode: 'exhaustive',
    options: { symmetry: true, mergeLocalSteps: true },
    verdict: 'pass',
    violation: null,
    stats: { distinctStates: 35, transitions: 40, depth: 7, queue: 0, elapsedMs: 3, statesPerSecond: 10_000 },
    moves: [],
  };
  const posted = await request.post(`/api/models/${id}/versions/1/runs`, { data: forged });
  expect(posted.status()).toBe(201);
  const runId = (await posted.json()).run.id;
  await expect
    .poll(async () => (await (await request.get(`/api/models/${id}/versions/1/runs/${runId}`)).json()).run.verification.status, { timeout: 30_000 })
    .toBe('refuted');
  const link = await (await request.post('/api/share', { data: { modelId: id, versionNumber: 1, runId } })).json();

  // Anyone with the link, signed in or not.
  const anonymous = await browser.newContext();
  try {
    const viewer = await anonymous.newPage();
    await viewer.goto(link.url);
    const banner = viewer.getByTestId('verification');
    await expect(banner).toHaveAttribute('data-status', 'refuted');
    // Seen on arrival, without scrolling.
    await expect(banner).toBeInViewport();
    await expect(banner).toContainText('Refuted by the server');
    await expect(banner.getByTestId('server-verdict')).toHaveText('violation: invariant no-snapshot-of-deleted-share');
    // The banner comes first on the page, above the model's name.
    const bannerBox = (await banner.boundingBox())!;
    const titleBox = (await viewer.getByTestId('shared-model-name').boundingBox())!;
    expect(bannerBox.y).toBeLessThan(titleBox.y);
    await expect(viewer.getByTestId('shared-verdict').getByTestId('verification-badge')).toHaveText('refuted');
    // The server's own trace, to its violating step.
    const trace = viewer.getByTestId('shared-trace');
    await expect(trace).toHaveAttribute('data-trace', 'server');
    await expect(trace.getByRole('heading', { name: "The server's trace" })).toBeVisible();
    await expect(viewer.getByTestId('trace-view')).toHaveAttribute('data-steps', '7');
    await expect(viewer.getByTestId('violation-sentence')).toContainText('invariant no-snapshot-of-deleted-share');
  } finally {
    await anonymous.close();
  }
});

test('a share link to a 9,901-step trace renders a page of states at a time', async ({ page, request }) => {
  const id = await createModelViaApi(request, { ...attackDocument(100, 98), name: uniqueName('Long trace') });
  const posted = await request.post(`/api/models/${id}/versions/1/runs`, { data: attackRun(100, 98) });
  expect(posted.status()).toBe(201);
  const runId = (await posted.json()).run.id;
  const link = await (await request.post('/api/share', { data: { modelId: id, versionNumber: 1, runId } })).json();

  await page.goto(link.url);
  const view = page.getByTestId('trace-view');
  // No step shared: the page holding the end of the trace, at its violating step.
  await expect(view).toHaveAttribute('data-steps', '9901');
  await expect(view).toHaveAttribute('data-step', '9901');
  await expect(page.getByTestId('trace-step-label')).toHaveText('Step 9901 of 9901');
  await expect(page.getByTestId('trace-pager')).toContainText('steps 9852–9901 of 9901');
  await expect(page.getByTestId('trace-row')).toHaveCount(51);
  await expect(page.getByTestId('violation-sentence')).toContainText('invariant none-done');
  await page.getByTestId('trace-pager').getByRole('link', { name: /^← steps/ }).click();
  await expect(page.getByTestId('trace-pager')).toContainText('steps 9802–9851 of 9901');
  await expect(page.getByTestId('trace-row').first()).toHaveAttribute('data-step', '9801');
});
