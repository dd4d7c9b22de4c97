/**
 * Accessibility: axe-core scans (WCAG 2 A and AA rules) of the pages a user
 * works in. A serious or critical violation fails the test and is listed by
 * rule, with the elements it was found on.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, example, uniqueName } from './pages/check-page';
import { EditorPage } from './pages/editor-page';
import { ExportPageObject } from './pages/export-page';
import { ModelsPage } from './pages/models-page';

test.use({ viewport: { width: 1440, height: 900 } });

const NAIVE = 'naive-delete-vs-snapshot';

/**
 * Serious and critical violations on the page once its state diagrams are laid
 * out (before that their nodes overlap, and contrast is measured against the
 * wrong background), one line per rule.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const diagrams = page.getByTestId('diagram');
  await expect(diagrams.locator('[data-direction]')).toHaveCount(await diagrams.count());
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
}

const shareModel = (request: Parameters<typeof createModelViaApi>[0], label: string) =>
  createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName(label) });

test('models page and editor have no serious accessibility violations', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y editor');
  await new ModelsPage(page).goto();
  expect.soft(await seriousViolations(page)).toEqual([]);

  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(7);
  expect.soft(await seriousViolations(page)).toEqual([]);
  await editor.openOperation('deleteShare');
  expect.soft(await seriousViolations(page)).toEqual([]);
  for (const part of ['Locks', 'Invariants', 'Scenarios', 'History'] as const) {
    await editor.open(part);
    await expect(editor.tab(part)).toHaveAttribute('aria-selected', 'true');
    expect.soft(await seriousViolations(page), `the ${part} tab`).toEqual([]);
  }
});

test('check page, a trace and its share page have no serious accessibility violations', async ({ page, browser, request }) => {
  const id = await shareModel(request, 'A11y check');
  const check = new CheckPage(page);
  await check.goto(id);
  expect.soft(await seriousViolations(page)).toEqual([]);

  await check.run(NAIVE);
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await expect(check.trace()).toBeVisible();
  expect.soft(await seriousViolations(page)).toEqual([]);
  // A short window: the trace's side column (state and diagrams) scrolls on its own, and the keyboard must reach it.
  await page.setViewportSize({ width: 1440, height: 560 });
  await expect.poll(() => page.getByTestId('trace-side').evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  expect.soft(await seriousViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1440, height: 900 });

  const url = await check.copyLink();
  const fresh = await browser.newContext();
  try {
    const viewer = await fresh.newPage();
    await viewer.goto(url);
    await expect(viewer.getByTestId('shared-view')).toBeVisible();
    await expect(new CheckPage(viewer).trace()).toBeVisible();
    expect.soft(await seriousViolations(viewer)).toEqual([]);
  } finally {
    await fresh.close();
  }
});

test('export page has no serious accessibility violations', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y export');
  const exporter = new ExportPageObject(page);
  await exporter.open(id);
  await expect(exporter.preview()).toBeVisible();
  expect.soft(await seriousViolations(page)).toEqual([]);
});

test('editor tabs follow the WAI-ARIA pattern: arrow keys, Home and End move focus and selection', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y tabs');
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(7);
  const tabs = page.getByRole('tablist', { name: 'Model parts' }).getByRole('tab');
  const names = await tabs.allInnerTexts();
  expect(names.slice(0, 3)).toEqual(['State machines', 'Operations', 'Locks']);
  // One tab stop: only the selected tab is in the Tab order.
  await expect(page.locator('[role="tablist"][aria-label="Model parts"] [role="tab"][tabindex="0"]')).toHaveCount(1);

  await editor.tab('State machines').focus();
  await page.keyboard.press('ArrowRight');
  await expect(editor.tab('Operations')).toBeFocused();
  await expect(editor.tab('Operations')).toHaveAttribute('aria-selected', 'true');
  await expect(editor.tab('Operations')).toHaveAttribute('tabindex', '0');
  await expect(editor.tab('State machines')).toHaveAttribute('tabindex', '-1');
  await expect(page.getByRole('tabpanel', { name: 'Operations' })).toBeVisible();

  await page.keyboard.press('End');
  const last = tabs.last();
  await expect(last).toBeFocused();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(editor.tab('State machines')).toBeFocused();
  await expect(editor.tab('State machines')).toHaveAttribute('aria-selected', 'true');
  // Left from the first tab wraps to the last.
  await page.keyboard.press('ArrowLeft');
  await expect(last).toBeFocused();
  await expect(last).toHaveAttribute('aria-selected', 'true');
});

test('canvas edges are announced by state and transition names, not internal ids', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y edges');
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(7);
  await expect(editor.edges().first()).toHaveAttribute('aria-label', 'transition creating → available (created)');
  for (const label of await editor.edges().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) {
    expect(label).not.toMatch(/s:|Edge from/);
  }
  // A state name cut short on the canvas has its full name as a tooltip.
  await expect(editor.state('available').getByText('available', { exact: true })).toHaveAttribute('title', /^available/);
});

test('the XState inspector says it sends state to stately.ai, asks first, and never claims to inspect when it is not connected', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y inspector');
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(NAIVE);
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await check.simulate(NAIVE);
  const button = check.simulator().getByTestId('inspect');
  await expect(button).toHaveText('Inspect on stately.ai…');
  expect.soft(await seriousViolations(page)).toEqual([]);

  // First click: a notice, no popup.
  let popups = 0;
  page.on('popup', () => popups++);
  await button.click();
  const notice = page.getByRole('dialog', { name: 'Open Stately’s inspector?' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('stately.ai, a third-party site');
  await expect(notice).toContainText('states and events');
  expect.soft(await seriousViolations(page)).toEqual([]);
  await notice.getByRole('button', { name: 'Cancel' }).click();
  await expect(notice).toBeHidden();
  expect(popups).toBe(0);
  await expect(button).toHaveText('Inspect on stately.ai…');

  // A blocked popup is reported; the button does not say "Inspecting".
  await page.evaluate(() => {
    (window as unknown as { __open: typeof window.open }).__open = window.open;
    window.open = () => null;
  });
  await button.click();
  await notice.getByRole('button', { name: 'Open stately.ai inspector' }).click();
  await expect(check.simulator().getByTestId('inspect-error')).toContainText('blocked the popup');
  await expect(button).toHaveAttribute('data-status', 'failed');
  await expect(button).not.toContainText('Inspecting');

  // Offline (stately.ai unreachable): the popup opens but never answers; the button waits, then says so.
  await page.context().route(/stately\.ai/, (route) => route.abort());
  await page.evaluate(() => {
    window.open = (window as unknown as { __open: typeof window.open }).__open;
  });
  await button.click();
  await notice.getByRole('button', { name: 'Open stately.ai inspector' }).click();
  await expect(button).toHaveText('Connecting to stately.ai…');
  await expect(check.simulator().getByTestId('inspect-error')).toContainText('no answer from https://stately.ai/inspect', { timeout: 15_000 });
  await expect(button).not.toContainText('Inspecting');
  // The simulation itself still works.
  const sim = check.simulator();
  const before = Number(await sim.getAttribute('data-steps'));
  await sim.locator('[data-testid="sim-move"][data-kind="step"]').first().click();
  await expect(sim).toHaveAttribute('data-steps', String(before + 1));
});

test('the problems panel can be collapsed, and stays collapsed after a reload', async ({ page, request }) => {
  const id = await shareModel(request, 'A11y problems');
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas(7);
  const toggle = page.getByTestId('problems-panel').getByRole('button', { name: /Problems/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await page.reload();
  await editor.waitForCanvas(7);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // The count stays readable while collapsed.
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');
  await toggle.click();
  await page.reload();
  await editor.waitForCanvas(7);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
});
