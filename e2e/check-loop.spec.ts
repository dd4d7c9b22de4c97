/**
 * The edit → check loop (issue 13, item 1): the editor's Check button checks
 * every scenario of the document being edited in the browser's worker and
 * shows each verdict beside the scenario list, with its trace; the check page
 * lists the stored runs, shows the latest stored verdict after a reload, and
 * reopens any stored run's trace.
 */
import { expect, test } from './fixtures';
import { EditorPage } from './pages/editor-page';
import { CheckPage, createModelViaApi, example, uniqueName } from './pages/check-page';

const NAIVE = 'naive-delete-vs-snapshot';
const FIXED = 'fixed-delete-vs-snapshot';
const TWO_DELETES_FIXED = 'fixed-two-deletes';

test('Check in the editor, verdicts beside the scenarios; the check page keeps and reopens the stored runs', async ({ page, request }) => {
  const original: Record<string, any> = { ...example('share-delete-vs-snapshot'), name: uniqueName('Check loop') };
  const id = await createModelViaApi(request, original);
  const editor = new EditorPage(page);
  await editor.goto(id);

  // Version 1 as it is: Check runs every scenario; the runs are stored against version 1.
  await page.getByTestId('editor-check').click();
  await expect(editor.tab('Scenarios')).toHaveAttribute('aria-selected', 'true');
  const mark = (scenario: string) => page.locator(`[data-testid="draft-verdict"][data-scenario="${scenario}"]`);
  await expect(mark(NAIVE)).toHaveAttribute('data-verdict', 'violation');
  await expect(mark(NAIVE)).toHaveText('violation ✓');
  await expect(mark(FIXED)).toHaveText('pass ✓');
  await expect(mark(TWO_DELETES_FIXED)).toHaveText('pass ✓');
  const summary = page.getByTestId('draft-check-summary');
  await expect(summary).toContainText('Stored as runs of version 1');
  const naiveRow = summary.locator(`[data-testid="draft-check-row"][data-scenario="${NAIVE}"]`);
  await expect(naiveRow).toContainText("share1 is 'deleted' while snap1 is 'creating'");
  const checkPageLink = naiveRow.getByTestId('draft-check-page-trace');
  await expect(checkPageLink).toHaveAttribute('href', new RegExp(`/models/${id}/check\\?version=1&run=`));
  const linkToRun = (await checkPageLink.getAttribute('href'))!;

  // The trace opens inline, at its last (violating) step.
  await naiveRow.getByTestId('draft-show-trace').click();
  const inline = page.getByTestId('draft-trace');
  await expect(inline.getByTestId('trace-view')).toBeVisible();
  await expect(inline.getByTestId('trace-view')).toHaveAttribute('data-step', '7');

  // Edit: drop a scenario. The verdicts say they predate the edit; Check again checks the draft, not stored.
  const edited = { ...original, scenarios: original.scenarios.filter((s: { name: string }) => s.name !== TWO_DELETES_FIXED) };
  await editor.open('JSON');
  await editor.replaceJson(JSON.stringify(edited, null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await page.getByTestId('editor-check').click();
  await expect(mark(FIXED)).toHaveText('pass ✓');
  await expect(mark(TWO_DELETES_FIXED)).toHaveCount(0);
  await expect(summary).toContainText('These runs belong to your unsaved draft: the trace opens here.');
  await expect(summary.getByTestId('draft-check-page-trace')).toHaveCount(0);

  // An invalid draft cannot be checked, and the button says why.
  const broken = { ...edited, scenarios: [{ ...edited.scenarios[0], processes: [{ ...edited.scenarios[0].processes[0], operation: 'no-such-operation' }, ...edited.scenarios[0].processes.slice(1)] }, ...edited.scenarios.slice(1)] };
  await editor.open('JSON');
  await editor.replaceJson(JSON.stringify(broken, null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await expect(page.getByTestId('editor-check')).toBeDisabled();
  await expect(page.getByTestId('editor-check-reason')).toContainText('an invalid model cannot be checked');

  // The check page, fresh: each scenario shows the latest stored verdict instead of "not run".
  const check = new CheckPage(page);
  await check.goto(id);
  const storedVerdict = (scenario: string) => check.row(scenario).getByTestId('result-stored-verdict');
  await expect(storedVerdict(NAIVE)).toHaveText('violation');
  await expect(storedVerdict(FIXED)).toHaveText('pass');
  await expect(check.row(NAIVE).getByTestId('result-stored-when')).toContainText('last stored run · Test Admin');
  await expect(check.row(NAIVE).getByTestId('result-meets')).toHaveText('✓ meets');
  await page.reload();
  await expect(storedVerdict(NAIVE)).toHaveText('violation');

  // Run the naive scenario again here: two stored runs for it, newest first, with who and the options.
  await check.run(NAIVE);
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await expect(check.row(NAIVE).getByTestId('result-saved')).toHaveText('saved');
  const group = page.locator(`[data-testid="stored-runs-scenario"][data-scenario="${NAIVE}"]`);
  await expect(group.getByTestId('stored-run')).toHaveCount(2);
  await group.locator('summary').click();
  await expect(group.getByTestId('stored-run').first()).toContainText('Test Admin');
  await expect(group.getByTestId('stored-run').first()).toContainText('symmetry, merge local steps');

  // Reopen the older stored run (the editor's): its trace, replayed.
  await group.getByTestId('stored-run').nth(1).getByRole('button', { name: /Open the trace/ }).click();
  const stored = page.getByTestId('stored-trace-section');
  await expect(stored.getByTestId('stored-trace-title')).toContainText(`Stored run of ${NAIVE}`);
  await expect(stored.getByTestId('trace-view')).toHaveAttribute('data-step', '7');
  await expect(stored.getByTestId('trace-view')).toHaveAttribute('data-steps', '7');

  // The editor's link lands on that run's trace.
  await page.goto(linkToRun);
  await expect(page.getByTestId('stored-trace-section').getByTestId('stored-trace-title')).toContainText(`Stored run of ${NAIVE}`);
});

test("a draft checked in the editor and then saved unchanged keeps its runs: they become the new version's", async ({ page, request }) => {
  const original: Record<string, any> = { ...example('share-delete-vs-snapshot'), name: uniqueName('Check then save') };
  const id = await createModelViaApi(request, original);
  const editor = new EditorPage(page);
  await editor.goto(id);
  const edited = { ...original, scenarios: original.scenarios.filter((s: { name: string }) => s.name !== TWO_DELETES_FIXED) };
  await editor.open('JSON');
  await editor.replaceJson(JSON.stringify(edited, null, 2));
  await expect(page.getByTestId('json-status')).toHaveAttribute('data-status', 'synced');
  await page.getByTestId('editor-check').click();
  const summary = page.getByTestId('draft-check-summary');
  const mark = (scenario: string) => page.locator(`[data-testid="draft-verdict"][data-scenario="${scenario}"]`);
  await expect(mark(NAIVE)).toHaveText('violation ✓');
  await expect(mark(FIXED)).toHaveText('pass ✓');
  await expect(summary).toContainText('These runs belong to your unsaved draft');

  await editor.saveDraftAs(2, 'drop the two-deletes scenario');
  await expect(summary).toContainText('Stored as runs of version 2');
  const link = summary.locator(`[data-testid="draft-check-row"][data-scenario="${NAIVE}"]`).getByTestId('draft-check-page-trace');
  await expect(link).toHaveAttribute('href', new RegExp(`/models/${id}/check\\?version=2&run=`));

  // The check page of version 2 shows the stored verdicts without running anything.
  const check = new CheckPage(page);
  await check.goto(id);
  await expect(check.row(NAIVE).getByTestId('result-stored-verdict')).toHaveText('violation');
  await expect(check.row(FIXED).getByTestId('result-stored-verdict')).toHaveText('pass');
});
