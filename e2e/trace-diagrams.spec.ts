/**
 * A trace's state diagrams draw every state at once, at every step: no state
 * is ever put on the page hidden, waiting for React Flow to measure it (a
 * diagram whose measurement was lost stayed blank: StateDiagram.tsx).
 */
import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, example, uniqueName } from './pages/check-page';

const NAIVE = 'naive-delete-vs-snapshot';

test('the trace’s diagrams never draw a state hidden, from the first frame and at every step', async ({ page, request }) => {
  // Before the page's own scripts: every diagram state that is inserted or restyled while hidden is noted.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { hiddenDiagramStates: string[] }).hiddenDiagramStates = seen;
    const note = (el: Element) => {
      const state = el.querySelector('[data-testid="diagram-state"]');
      if (state && (el as HTMLElement).style.visibility === 'hidden') seen.push(`${state.getAttribute('data-resource')}.${state.getAttribute('data-state')}`);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.target instanceof Element && r.target.classList.contains('react-flow__node')) note(r.target);
        for (const added of r.addedNodes) {
          if (!(added instanceof Element)) continue;
          if (added.classList.contains('react-flow__node')) note(added);
          added.querySelectorAll('.react-flow__node').forEach(note);
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  });
  const id = await createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName('Diagrams drawn') });
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run(NAIVE);
  await expect(check.verdict(NAIVE)).toHaveText('violation');
  await expect(check.trace()).toBeVisible();
  const states = page.getByTestId('diagram-state');
  await expect(states.first()).toBeVisible();
  const steps = await check.steps();
  for (let k = 1; k <= steps; k++) {
    await page.keyboard.press('ArrowRight');
    await expect(check.trace()).toHaveAttribute('data-step', String(k));
  }
  for (const state of await states.all()) await expect(state).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { hiddenDiagramStates: string[] }).hiddenDiagramStates)).toEqual([]);
});
