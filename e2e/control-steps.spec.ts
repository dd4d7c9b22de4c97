/**
 * The editor's control constructs: a `repeat` loop (with a test, then for
 * ever), an acquire timeout, a heartbeat field and the heartbeat-loss fault
 * budget — each edited in its form, shown in the pseudo-code, and saved.
 */
import { expect, test } from './fixtures';
import { EditorPage, createModel, shareExample } from './pages/editor-page';
import { CheckPage, createModelViaApi, uniqueName } from './pages/check-page';

test.use({ viewport: { width: 1440, height: 900 } });

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test('write a loop, a lock timeout and a heartbeat in the editor, and save them', async ({ page, request }) => {
  const id = await createModel(request, { ...shareExample(), locks: [{ name: 'cache' }], name: unique('Control') });
  const editor = new EditorPage(page);
  await editor.goto(id);
  await editor.waitForCanvas();

  // A loop: offered as a step kind, it starts as a poller with a test.
  await editor.openOperation('createSnapshot');
  const before = await editor.topSteps().count();
  await editor.addTopStep('repeat');
  const loop = editor.topSteps().nth(before);
  await expect(loop).toHaveAttribute('data-kind', 'repeat');
  await expect(editor.stepSummaries().nth(before)).toHaveText(/^repeat until status == "/);
  await expect(editor.pseudocode()).toContainText('  repeat {\n    read status = share.state\n  } until status == "');
  await expect(loop).toContainText('each round');
  // Emptying the test makes it an endless loop (a daemon), still valid.
  const until = loop.locator('input[data-path$=".until"]').first();
  await until.fill('');
  await expect(editor.stepSummaries().nth(before)).toHaveText('repeat forever');
  await expect(editor.pseudocode()).toContainText('  repeat forever {\n    read status = share.state\n  }');
  await expect(loop.getByTestId('repeat-shape')).toHaveText('repeat forever { … }');
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');

  // A lock taken with a timeout, and what to do when it runs out.
  await editor.addTopStep('acquire');
  const acquire = editor.topSteps().nth(before + 1);
  await acquire.locator('input[data-path$=".timeout"]').fill('2.5');
  await expect(editor.stepSummaries().nth(before + 1)).toHaveText('acquire cache timeout 2.5s');
  await acquire.getByRole('button', { name: '+ if the lock is taken…' }).click();
  await expect(acquire).toContainText('if the lock is taken (try or timeout)');
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');

  // A heartbeat: a bool field marked as one.
  await editor.open('State machines');
  await editor.openResource('Share');
  await page.getByRole('button', { name: '+ Field' }).click();
  const heartbeat = page.locator('input[data-path$=".heartbeat"]').last();
  await heartbeat.check();
  await expect(heartbeat).toBeChecked();

  // Its fault budget in a scenario.
  await editor.open('Scenarios');
  const budget = page.locator('input[data-path$=".faults.heartbeatLoss"]').first();
  await budget.fill('1');
  await expect(page.getByTestId('problems-count')).toContainText('The model validates');

  await editor.saveDraftAs(2);
  const saved = (await (await request.get(`/api/models/${id}`)).json()).model.head.document;
  const op = saved.operations.find((o: { name: string }) => o.name === 'createSnapshot');
  expect(op.steps.at(-2)).toEqual({ kind: 'repeat', steps: [{ kind: 'read', local: 'status', expr: 'share.state' }] });
  expect(op.steps.at(-1)).toEqual({ kind: 'acquire', lock: 'cache', timeout: 2.5, else: [] });
  expect(saved.resources.find((r: { name: string }) => r.name === 'Share').fields).toEqual([{ name: 'flag', type: { kind: 'bool' }, initial: false, heartbeat: true }]);
  expect(saved.scenarios[0].faults).toEqual({ heartbeatLoss: 1 });
});

test('a heartbeat that lapses shows in the trace across the lanes, as a fault', async ({ page, request }) => {
  // The owner claims the job and heartbeats; a peer polls (a loop with a lock timeout) until the heartbeat lapses, then copies too.
  const job = {
    name: 'Job',
    states: [{ name: 'queued', kind: 'stable' }, { name: 'running', kind: 'transitional' }, { name: 'done', kind: 'terminal' }],
    initial: 'queued',
    transitions: [{ from: 'queued', to: 'running' }, { from: 'running', to: 'done' }],
    fields: [{ name: 'alive', type: { kind: 'bool' }, heartbeat: true }, { name: 'copiers', type: { kind: 'int', min: 0, max: 2 } }],
  };
  const copy = [
    { kind: 'write', target: 'j.copiers', value: 'j.copiers + 1' },
    { kind: 'write', target: 'j.copiers', value: 'j.copiers - 1' },
  ];
  const id = await createModelViaApi(request, {
    name: uniqueName('Heartbeat'),
    resources: [job],
    locks: [{ name: 'cache' }],
    operations: [
      { name: 'own', params: [{ name: 'j', type: 'Job' }], steps: [{ kind: 'atomic', steps: [{ kind: 'cas', target: 'j.state', from: ['queued'], to: 'running', else: 'abort' }, { kind: 'write', target: 'j.alive', value: 'true' }] }, ...copy, { kind: 'write', target: 'j.state', value: '"done"' }] },
      {
        name: 'takeOver',
        params: [{ name: 'j', type: 'Job' }],
        steps: [
          { kind: 'repeat', steps: [{ kind: 'acquire', lock: 'cache', timeout: 2, else: [{ kind: 'call', name: 'sleep' }] }, { kind: 'release', lock: 'cache' }], until: 'j.state == "running" && !j.alive || j.state == "done"' },
          { kind: 'if', cond: 'j.state == "done"', then: [{ kind: 'return' }] },
          ...copy,
        ],
      },
    ],
    invariants: [{ name: 'oneCopier', expr: 'all(j: Job, j.copiers <= 1)' }],
    scenarios: [{ name: 's', instances: [{ name: 'job1', type: 'Job' }], processes: [{ operation: 'own', args: { j: 'job1' } }, { operation: 'takeOver', args: { j: 'job1' } }], faults: { heartbeatLoss: 1 } }],
  });
  const check = new CheckPage(page);
  await check.openFromModelPage(id);
  await check.run('s');
  await expect(check.verdict('s')).toHaveText('violation');
  const lapse = check.trace().locator('[data-testid="step-card"][data-kind="heartbeat-lapses"]');
  await expect(lapse).toHaveCount(1);
  await expect(lapse).toContainText('heartbeat of job1 lapses');
  await expect(lapse).toContainText('heartbeat of job1 lapsed: job1.alive true → false');
  // No process took it: its cell spans both lanes.
  await expect(lapse.locator('xpath=..')).toHaveAttribute('colspan', '2');
});
