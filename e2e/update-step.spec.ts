/**
 * The conditional `update` step (Cinder's conditional_update) in the editor:
 * its form shows the set / where / filter rows, the pseudo-code reads as one
 * UPDATE, a new one starts valid, and the editor's Check shows what its
 * filter is for — without it a delete races a snapshot being created.
 */
import { expect, test } from './fixtures';
import { EditorPage, createModel, shareExample } from './pages/editor-page';

test.use({ viewport: { width: 1440, height: 900 } });

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const SCENARIO = 'conditional-update-delete-vs-snapshot';

test("a conditional update: its rows, its pseudo-code, and Check shows its filter keeps a snapshot's share alive", async ({ page, request }) => {
  const id = await createModel(request, { ...shareExample(), name: unique('Update') });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.openOperation('deleteShareConditional');
  const update = editor.topSteps().first();
  await expect(update).toHaveAttribute('data-kind', 'update');
  await expect(update.getByTestId('update-set-row')).toHaveCount(1);
  await expect(update.getByTestId('update-where-row')).toHaveCount(1);
  await expect(update.getByTestId('update-filter-row')).toHaveCount(1);
  await expect(editor.pseudocode()).toContainText('update share set state = "deleting"');
  await expect(editor.pseudocode()).toContainText('no_snapshots');

  const mark = page.locator(`[data-testid="draft-verdict"][data-scenario="${SCENARIO}"]`);
  // As shipped: the scenario passes, as it expects.
  await page.getByTestId('editor-check').click();
  await expect(mark).toHaveText('pass ✓');

  // A filter that always holds: the delete no longer waits for the snapshot, and the race is back.
  await editor.openOperation('deleteShareConditional');
  const filter = update.locator('input[data-path$=".filters[0].cond"]');
  const original = await filter.inputValue();
  await filter.fill('true');
  await expect(page.getByTestId('problems-count')).not.toContainText('error');
  await page.getByTestId('editor-check').click();
  await expect(mark).toHaveAttribute('data-verdict', 'violation');
  await expect(mark).toHaveText('violation ✗');
  const row = page.locator(`[data-testid="draft-check-row"][data-scenario="${SCENARIO}"]`);
  await expect(row).toContainText("share1 is 'deleted' while snap1 is");

  // Put it back: pass again.
  await editor.openOperation('deleteShareConditional');
  await filter.fill(original);
  await page.getByTestId('editor-check').click();
  await expect(mark).toHaveText('pass ✓');

  // A new update step starts valid, with a set row taken from the machine.
  await editor.openOperation('deleteShareConditional');
  await editor.addTopStep('update');
  const added = editor.topSteps().last();
  await expect(added).toHaveAttribute('data-kind', 'update');
  await expect(added.getByTestId('update-set-row')).toHaveCount(1);
  await expect(page.getByTestId('problems-count')).not.toContainText('error');
  await added.getByRole('button', { name: '+ filter' }).click();
  await expect(added.getByTestId('update-filter-row')).toHaveCount(1);
});
