import { expect, test } from './fixtures';
import { CheckPage, createModelViaApi, example, uniqueName } from './pages/check-page';

/**
 * Traces that explain themselves: lanes say where each process runs, a
 * node-scoped lock is named by its node (two nodes, two locks), locals not
 * read yet are unset, the broken invariant is said in the values that broke
 * it, and on a wide screen the diagrams stay beside the table.
 */
test.use({ viewport: { width: 1440, height: 900 } });

test('lock-scope file lock on two nodes: lanes name their node, each node has its own lock', async ({ page, request }) => {
  const id = await createModelViaApi(request, { ...example('lock-scope'), name: uniqueName('Lock scope trace') });
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run('file-lock-two-nodes');
  await expect(check.verdict('file-lock-two-nodes')).toHaveText('violation');

  const trace = check.trace();
  await expect(trace.getByTestId('lane')).toHaveText(['delete on api1 · OS process main', 'snapshot on api2 · OS process main']);

  // At the start nothing has been read: the locals are unset, not their type's first value.
  const snapshot = trace.locator('[data-testid="state-process"][data-name="snapshot"]');
  await expect(snapshot.getByTestId('process-locals')).toHaveText('status=—');

  // Step 4: snapshot takes the file lock on api2 while delete holds the one on api1.
  await trace.getByTestId('trace-slider').fill('4');
  await expect(trace).toHaveAttribute('data-step', '4');
  const row = trace.locator('[data-testid="trace-row"][data-step="4"]');
  await expect(row.getByTestId('step-card')).toContainText('acquire share-lock(share1)@api2');
  await expect(row).toContainText('lock share-lock(share1)@api1: delete');
  await expect(row).toContainText('lock share-lock(share1)@api2: snapshot');
  await expect(trace.getByTestId('state-lock')).toHaveCount(2);
  await expect(trace.locator('[data-testid="state-lock"][data-lock="share-lock(share1)@api1"]')).toContainText('delete');
  await expect(trace.locator('[data-testid="state-lock"][data-lock="share-lock(share1)@api2"]')).toContainText('snapshot');

  // Wide screen: the slider and the diagrams are on screen together, and the diagram follows the slider.
  await expect(trace.getByTestId('trace-slider')).toBeInViewport();
  await expect(page.locator('[data-testid="diagram"][data-resource="Share"]')).toBeInViewport();
  await trace.getByTestId('trace-slider').fill('6');
  await expect(check.diagramState('Share', 'deleting')).toHaveAttribute('data-current', 'true');
  await expect(check.diagramState('Share', 'deleting')).toBeInViewport();
  await expect(trace.getByTestId('trace-slider')).toBeInViewport();
  const [table, side] = await Promise.all([trace.getByTestId('swimlanes').boundingBox(), trace.getByTestId('trace-side').boundingBox()]);
  expect(side!.x).toBeGreaterThanOrEqual(table!.x + table!.width);
});

test('share example, two deletes: the violation names the at() count that broke it', async ({ page, request }) => {
  const id = await createModelViaApi(request, { ...example('share-delete-vs-snapshot'), name: uniqueName('Two deletes trace') });
  const check = new CheckPage(page);
  await check.goto(id);
  await check.run('naive-two-deletes');
  await expect(check.verdict('naive-two-deletes')).toHaveText('violation');

  const trace = check.trace();
  await expect(trace.getByTestId('lane')).toHaveText(['delete#1 on node · OS process main', 'delete#2 on node · OS process main']);
  await trace.getByTestId('trace-slider').fill(String(await check.steps()));
  await expect(trace.getByTestId('violation-explanation')).toHaveText('invariant one-driver-delete is false: at(deleteShareNaive, "driver-delete") = 2, not <= 1');
  await expect(check.violationSentence()).toContainText('at(deleteShareNaive, "driver-delete") <= 1');
  // At the last step of a 10-step trace the reason, the slider and the diagram are on screen together.
  await expect(trace.getByTestId('violation-explanation')).toBeInViewport();
  await expect(trace.getByTestId('trace-slider')).toBeInViewport();
  await expect(check.diagramState('Share', 'deleting')).toBeInViewport();
});
