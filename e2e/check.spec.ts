import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, example, scaledShareModel, uniqueName } from './pages/check-page';

const NAIVE = 'naive-delete-vs-snapshot';
const FIXED = 'fixed-delete-vs-snapshot';
const SENTENCE = "share1 is 'deleted' while snap1 is 'creating': invariant no-snapshot-of-deleted-share";
/** The trace and the simulator say which values break the invariant. */
const WHY = 'invariant no-snapshot-of-deleted-share is false: for n = snap1: n.state = "creating" and n.share.state = "deleted"';

async function shareModel(request: Parameters<typeof createModelViaApi>[0], label: string) {
  return createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName(label) });
}

test('naive share example: violation, step through the trace, share the link, open it read-only at the same step', async ({ page, browser, request }) => {
  const id = await shareModel(request, 'Naive share');
  const check = new CheckPage(page);
  await check.openFromModelPage(id);
  await check.run(NAIVE);

  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await expect(check.row(NAIVE).getByTestId('result-meets')).toHaveText('✓ meets');
  await expect(check.row(NAIVE).getByTestId('result-violation')).toHaveText(SENTENCE);
  await expect(check.row(NAIVE).getByTestId('result-saved')).toHaveText('saved');

  // The trace opens at its initial state; one lane per process, headed with where it runs.
  await expect(check.trace()).toBeVisible();
  await expect(check.trace().getByTestId('lane')).toHaveText(['delete on node · OS process main', 'snapshot on node · OS process main']);
  const steps = await check.steps();
  expect(steps).toBe(7);
  expect(await check.step()).toBe(0);
  await expect(check.diagramState('Share', 'available')).toHaveAttribute('data-current', 'true');

  // Step with the keyboard to the step where delete marks the share 'deleting'.
  for (let k = 1; k <= 4; k++) {
    await page.keyboard.press('ArrowRight');
    await expect(check.trace()).toHaveAttribute('data-step', String(k));
  }
  await expect(check.instance('share1')).toHaveAttribute('data-state', 'deleting');
  await expect(check.instance('share1')).toHaveAttribute('data-changed', 'true');
  await expect(check.diagramState('Share', 'deleting')).toHaveAttribute('data-current', 'true');
  await expect(check.diagramState('Share', 'available')).toHaveAttribute('data-current', 'false');
  await expect(page.locator('[data-testid="diagram"][data-resource="Share"] [data-testid="diagram-taken"]')).toHaveText(/share1: available → deleting/);
  await expect(check.trace().locator('[data-testid="trace-row"][data-step="4"]')).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('ArrowLeft');
  await expect(check.trace()).toHaveAttribute('data-step', '3');

  // The slider goes to the end: the violating step, explained in one sentence.
  await check.trace().getByTestId('trace-slider').fill(String(steps));
  await expect(check.trace()).toHaveAttribute('data-step', String(steps));
  await expect(check.violationSentence()).toContainText(WHY);
  await expect(check.violationSentence()).toHaveAttribute('data-at-end', 'true');
  await expect(check.diagramState('Share', 'deleted')).toHaveAttribute('data-current', 'true');
  await expect(check.diagramState('Snapshot', 'creating')).toHaveAttribute('data-current', 'true');
  await expect(page.locator('[data-testid="diagram"][data-resource="Snapshot"] [data-testid="diagram-taken"]')).toHaveText(/snap1: absent → creating/);

  const url = await check.copyLink();

  // A fresh browser with no session lands on the same step, read-only.
  const fresh = await browser.newContext();
  try {
    const viewer = await fresh.newPage();
    const response = await viewer.goto(url);
    expect(response?.status()).toBe(200);
    const shared = new CheckPage(viewer);
    await expect(viewer.getByTestId('shared-view')).toBeVisible();
    await expect(viewer.getByTestId('shared-verdict')).toHaveAttribute('data-verdict', 'violation');
    await expect(viewer.getByTestId('shared-scenario')).toHaveText(NAIVE);
    await expect(shared.trace()).toHaveAttribute('data-step', String(steps));
    await expect(shared.violationSentence()).toContainText(WHY);
    await expect(shared.diagramState('Share', 'deleted', viewer.locator('body'))).toHaveAttribute('data-current', 'true');
    // No edit controls, and nothing that can write.
    for (const name of ['Copy link', 'Simulate from this step', 'Open editor', 'Run check', 'Stop', 'Save new version']) {
      await expect(viewer.getByRole('button', { name, exact: true })).toHaveCount(0);
      await expect(viewer.getByRole('link', { name, exact: true })).toHaveCount(0);
    }
    await expect(viewer.locator('form')).toHaveCount(0);
    // The shared page still steps through the trace.
    await viewer.keyboard.press('ArrowLeft');
    await expect(shared.trace()).toHaveAttribute('data-step', String(steps - 1));
  } finally {
    await fresh.close();
  }
});

test('a read-only link: its API answers only GET, reveals no model id, and an unknown link is a 404 page', async ({ page, request }) => {
  const id = await shareModel(request, 'Read-only API');
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(NAIVE);
  await expect(check.row(NAIVE).getByTestId('result-saved')).toHaveText('saved');
  const url = await check.copyLink();
  const shareId = url.split('/share/')[1];

  const got = await request.get(`/api/share/${shareId}`);
  expect(got.status()).toBe(200);
  const text = await got.text();
  expect(text).not.toContain(id);
  const body = JSON.parse(text);
  expect(body.share).toMatchObject({ readOnly: true, versionNumber: 1, scenario: NAIVE, step: 0 });
  expect(body.share.run.trace.moves).toHaveLength(7);

  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    const r = await request[method](`/api/share/${shareId}`, { data: { document: example('share-delete-vs-snapshot') } });
    expect(r.status(), method).toBe(405);
  }
  // The link's id is no handle on a model either.
  expect((await request.post(`/api/models/${shareId}/versions`, { data: { baseVersion: 1, document: example('share-delete-vs-snapshot') } })).status()).toBe(404);
  expect((await request.delete(`/api/models/${shareId}`)).status()).toBe(404);
  expect((await request.post(`/api/models/${shareId}/versions/1/runs`, { data: {} })).status()).not.toBe(201);
  // Still there, unchanged.
  expect((await request.get(`/api/share/${shareId}`)).status()).toBe(200);

  // A made-up run is refused: its moves must replay to the claimed violation.
  const bogus = await request.post(`/api/models/${id}/versions/1/runs`, {
    data: {
      scenario: NAIVE,
      mode: 'exhaustive',
      options: { symmetry: true, mergeLocalSteps: true },
      verdict: 'violation',
      violation: { kind: 'deadlock', message: 'made up' },
      stats: { distinctStates: 1, transitions: 0, depth: 0, queue: 0, elapsedMs: 1, statesPerSecond: 1 },
      moves: [],
    },
  });
  expect(bogus.status()).toBe(422);

  // Unknown links: a proper 404, for the page and the API.
  const unknown = 'A'.repeat(32);
  const missing = await page.goto(`/share/${unknown}`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByTestId('share-not-found')).toBeVisible();
  expect((await request.get(`/api/share/${unknown}`)).status()).toBe(404);
});

test('the fixed example passes with statistics and shares read-only; all scenarios meet their expectations; lints are listed', async ({ page, browser, request }) => {
  const id = await shareModel(request, 'Fixed share');
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(FIXED);
  await expect(check.verdict(FIXED)).toHaveText('pass');
  await expect(check.row(FIXED).getByTestId('result-expect')).toHaveText('pass');
  await expect(check.row(FIXED).getByTestId('result-meets')).toHaveText('✓ meets');
  await expect(check.row(FIXED).getByTestId('result-stats')).toContainText(/\d+ states, \d+ transitions/);
  await expect(check.row(FIXED).getByTestId('result-stats')).toContainText(/states\/s/);
  await expect(check.row(FIXED).getByTestId('result-saved')).toHaveText('saved');
  await expect(check.trace()).toHaveCount(0);

  // A passing run shares too: the verdict, its statistics and the diagrams, read-only.
  await check.row(FIXED).getByRole('button', { name: 'Copy link' }).click();
  const link = check.row(FIXED).getByTestId('row-share-link');
  await expect(link).toHaveValue(/\/share\/[A-Za-z0-9_-]{32}$/);
  const fresh = await browser.newContext();
  try {
    const viewer = await fresh.newPage();
    await viewer.goto(await link.inputValue());
    await expect(viewer.getByTestId('shared-verdict')).toHaveAttribute('data-verdict', 'pass');
    await expect(viewer.getByTestId('shared-verdict')).toContainText('meets it');
    await expect(viewer.getByTestId('shared-stats')).toContainText(/\d+ states/);
    await expect(viewer.locator('[data-testid="diagram-state"][data-resource="Share"][data-state="available"]')).toHaveAttribute('data-current', 'true');
    await expect(viewer.getByTestId('trace-view')).toHaveCount(0);
    await expect(viewer.getByRole('button')).toHaveCount(0);
  } finally {
    await fresh.close();
  }

  await check.run('all');
  const scenarios = (example('share-delete-vs-snapshot').scenarios as Array<{ name: string }>).map((s) => s.name);
  for (const name of scenarios) {
    await expect(check.verdict(name)).toHaveText(/^(pass|violation)$/);
    await expect(check.row(name).getByTestId('result-meets')).toHaveText('✓ meets');
  }
  // The naive delete holds no lock across its driver call, but the lints still run: the list or its empty note shows.
  await expect(page.getByTestId('lints').or(page.getByTestId('lints-none'))).toBeVisible();
});

test('Stop during a large model: progress keeps arriving, the search moves to every core, the page stays usable, and Stop ends the search', async ({ page, request }) => {
  // How fast progress arrives and Stop lands is measured by bench/browser-workers.bench.ts, not here:
  // this test asserts what a user relies on, whatever the machine's load.
  const id = await createModelViaApi(request, scaledShareModel(8, uniqueName('Scaled share')));
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run('scaled-8');
  await expect(check.progress()).toBeVisible();
  const updates = async () => Number(await check.progress().getAttribute('data-updates'));
  const u0 = await updates();
  await expect.poll(updates, { timeout: 30_000 }).toBeGreaterThan(u0 + 2);
  expect(Number(await check.progress().getAttribute('data-states'))).toBeGreaterThan(0);
  // After a second the search is handed to one worker per core, which share memory:
  // the page is cross-origin isolated (Document-Isolation-Policy) yet keeps its popups (the Inspect test).
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  // One per core, up to the check's limit of 16 (MAX_THREADS in lib/browser/check-job.ts).
  const threads = Math.min(16, await page.evaluate(() => navigator.hardwareConcurrency));
  if (threads > 1) await expect(page.getByTestId('progress-threads')).toHaveText(String(threads), { timeout: 30_000 });

  // The main thread answers while the workers explore: a timer fires and keyboard focus moves.
  expect(await page.evaluate(() => new Promise<string>((resolve) => setTimeout(() => resolve('fired'), 0)))).toBe('fired');
  await check.stopButton().focus();
  await expect(check.stopButton()).toBeFocused();

  await check.stopButton().click();
  await expect(page.getByTestId('stopped')).toBeVisible();
  await expect(check.progress()).toHaveCount(0);
  await expect(check.verdict('scaled-8')).toHaveText('incomplete (stopped)');
  // Stopped for good: the stored count does not move afterwards.
  const stoppedAt = await check.row('scaled-8').getAttribute('data-states');
  await page.waitForTimeout(1000);
  await expect(check.row('scaled-8')).toHaveAttribute('data-states', stoppedAt ?? '');
  await expect(check.row('scaled-8').getByTestId('result-saved')).toHaveText('saved');
  if (threads > 1) await expect(check.row('scaled-8').getByTestId('result-stats')).toContainText(`${threads} threads`);

  // Threads chosen in the form take over from the 20,000th state, as `lockstep check --workers K` does
  // (handOverFor in lib/browser/check-job.ts), rather than after the first second.
  if (threads > 1) {
    await page.getByLabel('Threads').selectOption('2');
    await check.run('scaled-8');
    await expect(page.getByTestId('progress-threads')).toHaveText('2', { timeout: 30_000 });
    await check.stopButton().click();
    await expect(check.verdict('scaled-8')).toHaveText('incomplete (stopped)');
    await expect(check.row('scaled-8').getByTestId('result-stats')).toContainText('2 threads');
  }

  // One thread, when chosen (to leave the other cores free): past the hand-over point, still one.
  await page.getByLabel('Threads').selectOption('1');
  await check.run('scaled-8');
  await expect.poll(async () => Number(await check.progress().getAttribute('data-elapsed-ms')), { timeout: 30_000 }).toBeGreaterThan(4000);
  await expect(page.getByTestId('progress-threads')).toHaveCount(0);
  await check.stopButton().click();
  await expect(check.verdict('scaled-8')).toHaveText('incomplete (stopped)');
  await expect(check.row('scaled-8').getByTestId('result-stats')).not.toContainText('threads');
});

test('manual simulation reaches the same violation by clicking moves, steps back, and starts from a trace step', async ({ page, request }) => {
  const id = await shareModel(request, 'Manual');
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(NAIVE);
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  const order = await check.trace().getByTestId('step-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-process')!));
  expect(order).toHaveLength(7);

  await check.simulate(NAIVE);
  const sim = check.simulator();
  await expect(check.instance('share1', sim)).toHaveAttribute('data-state', 'available');
  for (const process of order) await check.takeStepOf(process);
  await expect(sim.getByTestId('sim-violation')).toContainText(WHY);
  await expect(sim.getByTestId('sim-move')).toHaveCount(0);
  await expect(check.instance('share1', sim)).toHaveAttribute('data-state', 'deleted');
  // The resource machines run as XState actors beside the simulation.
  await expect(check.instance('snap1', sim).getByTestId('actor-state')).toContainText('creating');

  await sim.getByRole('button', { name: 'Step back' }).click();
  await expect(sim).toHaveAttribute('data-steps', String(order.length - 1));
  await expect(sim.getByTestId('sim-violation')).toHaveCount(0);
  await expect(check.instance('snap1', sim)).toHaveAttribute('data-state', 'absent');
  await expect(check.instance('snap1', sim).getByTestId('actor-state')).toContainText('absent');
  await check.takeStepOf(order.at(-1)!);
  await expect(sim.getByTestId('sim-violation')).toContainText(WHY);

  // Start from step 3 of the trace, then finish by hand.
  await check.trace().getByTestId('trace-slider').fill('3');
  await check.trace().getByRole('button', { name: 'Simulate from this step' }).click();
  await expect(check.simulator()).toHaveAttribute('data-steps', '3');
  for (const process of order.slice(3)) await check.takeStepOf(process);
  await expect(check.simulator().getByTestId('sim-violation')).toContainText(WHY);
});

test('random simulation finds the race; a fault can be chosen by hand; Inspect opens Stately’s inspector', async ({ page, request }) => {
  const id = await shareModel(request, 'Random and faults');
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(NAIVE, 'random');
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await expect(check.row(NAIVE).getByTestId('result-stats')).toContainText(/schedules/);
  await expect(check.row(NAIVE).getByTestId('result-saved')).toHaveText('saved');
  await expect(check.violationSentence()).toContainText('invariant no-snapshot-of-deleted-share');

  // The fixed scenario allows one call failure: it is offered as a fault once the driver call is reached.
  await check.simulate(FIXED);
  const sim = check.simulator();
  const fault = sim.locator('[data-testid="sim-move"][data-kind="call-fails"]');
  for (let i = 0; i < 6 && (await fault.count()) === 0; i++) await check.takeStepOf('delete');
  await expect(fault.first()).toContainText('the call fails');
  await fault.first().click();
  await expect(sim.locator('[data-testid="step-card"][data-kind="call-fails"]')).toHaveCount(1);
  await expect(sim.locator('[data-testid="sim-move"][data-kind="call-fails"]')).toHaveCount(0);

  // The inspector is Stately's web page (not reachable from the test machine): stand in for it.
  // The stand-in answers as the real inspector does; the button says "Inspecting" only after that answer.
  const standIn = "<title>Stately inspector</title><script>window.opener.postMessage({ type: '@statelyai.connected' }, '*')</script>";
  await page.context().route('https://stately.ai/**', (route) => route.fulfill({ contentType: 'text/html', body: standIn }));
  const popup = page.waitForEvent('popup');
  await sim.getByTestId('inspect').click();
  // It first says what it sends, and where.
  await page.getByRole('dialog', { name: 'Open Stately’s inspector?' }).getByRole('button', { name: 'Open stately.ai inspector' }).click();
  expect((await popup).url()).toContain('stately.ai');
  await expect(sim.getByTestId('inspect')).toHaveText('Inspecting on stately.ai');
});
