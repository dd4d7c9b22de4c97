/**
 * Liveness in the browser: the scenario's liveness toggles in the editor, a
 * check that finds a starving waiter, the trace view marking where the loop
 * starts and where it goes back to, and the stored run (verified by the
 * server's lasso check) reopening with the same marks.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, uniqueName } from './pages/check-page';
import { EditorPage } from './pages/editor-page';

const model = (): Record<string, any> =>
  JSON.parse(readFileSync(fileURLToPath(new URL('../tests/liveness-spin/blocking-await.json', import.meta.url)), 'utf8'));

test('a starving waiter: the lasso in the trace view, marked where it loops, and stored', async ({ page, request }) => {
  const id = await createModelViaApi(request, { ...model(), name: uniqueName('Liveness') });
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run('live');

  await expect(check.verdict('live')).toHaveText('violation');
  await expect(check.row('live').getByTestId('result-meets')).toHaveText('✓ meets');
  await expect(check.row('live').getByTestId('result-violation')).toContainText('waiter never ends');
  // Saved means the server replayed the lasso and found it closed, fair and bad.
  await expect(check.row('live').getByTestId('result-saved')).toHaveText('saved');

  await expect(check.trace()).toBeVisible();
  const start = check.trace().getByTestId('loop-start');
  const back = check.trace().getByTestId('loop-end');
  await expect(start).toHaveText('↻ Loop starts here: steps 1–2 repeat for ever');
  await expect(back).toHaveText('↩ Back to the initial state: the loop repeats from step 1');
  // The marks surround the repeating rows: the start before step 1, the way back after step 2.
  const order = await check
    .trace()
    .locator('[data-testid="trace-row"], [data-testid="loop-start"], [data-testid="loop-end"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step') ?? r.getAttribute('data-testid')));
  expect(order).toEqual(['0', 'loop-start', '1', '2', 'loop-end']);
  await expect(check.violationSentence()).toContainText('For ever: steps 1–2 repeat (back to the initial state)');
  await expect(check.violationSentence()).toContainText('weak fairness does not make it run');

  // The stored run, reopened from the list after a reload: replayed from its moves, the same loop marked.
  await page.reload();
  const group = page.locator('[data-testid="stored-runs-scenario"][data-scenario="live"]');
  // Verified: the server's own lasso check (replay, closed, fair, bad) accepted it.
  await expect(check.row('live')).toContainText('verified');
  await group.locator('summary').click();
  await group.getByTestId('stored-run').first().getByRole('button', { name: /Open the trace/ }).click();
  const stored = page.getByTestId('stored-trace-section');
  await expect(stored.getByTestId('loop-start')).toHaveText('↻ Loop starts here: steps 1–2 repeat for ever');
  await expect(stored.getByTestId('loop-end')).toHaveText('↩ Back to the initial state: the loop repeats from step 1');
  await expect(stored.getByTestId('violation-sentence')).toContainText('waiter never ends');
});

test('the scenario form switches the liveness checks on and off', async ({ page, request }) => {
  const doc = model();
  delete doc.scenarios[0].checks;
  delete doc.scenarios[0].expect;
  const id = await createModelViaApi(request, { ...doc, name: uniqueName('Liveness toggles') });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.open('Scenarios');
  const group = page.getByRole('group', { name: 'Liveness checks (weak fairness)' });
  const termination = group.getByRole('checkbox', { name: /termination/ });
  await expect(termination).not.toBeChecked();
  await expect(group.getByRole('checkbox', { name: /leavesTransitional/ })).not.toBeChecked();
  await termination.check();
  await expect(termination).toBeChecked();
});
