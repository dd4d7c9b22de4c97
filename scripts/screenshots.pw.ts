/**
 * The README's screenshots, each at 1440 × 900 and 1024 × 768: the editor
 * (ELK-routed machine), a trace on the check page (the naive share race, the
 * two-deletes race, the lock-scope two-node race), a design review and the
 * export page. Run by scripts/screenshots.config.ts, never by `npm test`.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../e2e/fixtures';
import { CheckPage, createModelViaApi, example, uniqueName } from '../e2e/pages/check-page';
import { EditorPage } from '../e2e/pages/editor-page';
import { ExportPageObject } from '../e2e/pages/export-page';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screenshots/${name}-${page.viewportSize()!.width}.png` });

/** Runs one scenario on the check page and leaves its trace open at the violating step. */
async function traceOf(page: Page, id: string, scenario: string) {
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(scenario);
  await expect(check.verdict(scenario)).toHaveText('violation');
  await expect(check.trace()).toBeVisible();
  await expect(page.locator('[data-testid="diagram-state"]').first()).toBeVisible();
  // The violating step, the trace at the top of the window.
  await check.trace().getByRole('slider').focus();
  await page.keyboard.press('End');
  await check.trace().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(400);
  return check;
}

for (const size of SIZES) {
  test.describe(`${size.width} × ${size.height}`, () => {
    test.use({ viewport: size });

    test('models, model page, editor, traces, export', async ({ page, request }) => {
      const share = await createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: 'Share delete vs snapshot' });
      await page.goto('/');
      await expect(page.getByTestId('model-row').first()).toBeVisible();
      await shot(page, 'models');
      await page.goto(`/models/${share}`);
      await expect(page.getByTestId('model-name')).toBeVisible();
      await shot(page, 'model-page');
      const editor = new EditorPage(page);
      await editor.goto(share);
      await editor.waitForCanvas(7);
      await page.getByRole('button', { name: 'Auto layout' }).click();
      await expect(page.locator('[data-testid="transition-label"][data-routed="true"]').first()).toBeVisible();
      await editor.select('deleting');
      await page.waitForTimeout(400);
      await shot(page, 'editor');
      await editor.openOperation('deleteShare');
      await shot(page, 'editor-operations');

      await traceOf(page, share, 'naive-delete-vs-snapshot');
      await shot(page, 'check-trace');
      if (size.width < 1280) {
        // Below 1280 px the diagrams sit under the table.
        await page.getByTestId('state-diagrams').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.waitForTimeout(300);
        await shot(page, 'check-trace-diagrams');
      }
      await traceOf(page, share, 'naive-two-deletes');
      await shot(page, 'trace-two-deletes');

      const lockScope = await createModelViaApi(request, { ...example('lock-scope'), name: uniqueName('Lock scope') });
      await traceOf(page, lockScope, 'file-lock-two-nodes');
      await shot(page, 'trace-lock-scope-two-nodes');

      const exporter = new ExportPageObject(page);
      await exporter.open(share);
      await expect(exporter.preview()).toBeVisible();
      await shot(page, 'export');
    });

    test('review', async ({ page, request }) => {
      const doc = { ...example('share-delete-vs-snapshot'), name: uniqueName('Reviewed share') };
      const id = await createModelViaApi(request, doc);
      const fixed = { ...doc, description: 'Deleting a share takes it with a cas, so a snapshot cannot start in between.' };
      const r = await request.post(`/api/models/${id}/versions`, { data: { baseVersion: 1, document: fixed, message: 'explain the cas' } });
      expect(r.status()).toBe(201);
      await page.goto(`/models/${id}`);
      await page.getByTestId('model-reviews').getByRole('button', { name: 'Open review' }).click();
      const open = page.getByRole('form', { name: 'Open a review' });
      await open.getByLabel('Title').fill('Delete with a cas');
      await open.getByRole('button', { name: 'Open review' }).click();
      await expect(page).toHaveURL(/\/reviews\/1$/);
      await expect(page.locator('[data-testid="verdict-row"]').first()).toBeVisible({ timeout: 120_000 });
      await page.waitForTimeout(300);
      await shot(page, 'review');
    });
  });
}
