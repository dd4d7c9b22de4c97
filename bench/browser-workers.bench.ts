/**
 * The Spin benchmark model (bench/spin-scaled-share, no reductions) checked in
 * Chromium through the check page — the page's checker worker coordinating
 * one partition worker per core — next to the CLI (`lockstep check
 * --workers K`) in the same run, taken in turn.
 *
 *   npx tsx bench/browser-workers.bench.ts --base http://127.0.0.1:3255 [--n 6] [--repeat 2] [--isolation as-served|off] [--threads K]
 *
 * `--threads K` picks K threads in the check form (default: one per core),
 * and the CLI runs with `--workers K`.
 *
 * `--isolation off` strips the Document-Isolation-Policy header from every
 * response (the page is then not cross-origin isolated, and its workers
 * exchange copies instead of sharing memory). It also samples the page's main thread
 * during the check (a 50 ms timer): the longest gap shows whether the page
 * ever froze. Needs a running app; signs in as the test administrator.
 *
 * After the timed runs it starts the check once more, counts the progress
 * updates the page shows during two seconds, presses Stop and prints how long
 * the page took to show it stopped (the check page measures it:
 * `data-stop-ms`). These were once asserted by an end-to-end test; they are
 * speed, so they are measured here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { apiSession } from '../tests/helpers/api-session';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const base = arg('--base', process.env.LOCKSTEP_BASE_URL ?? 'http://127.0.0.1:3000');
const n = Number(arg('--n', '6'));
const repeat = Math.max(1, Number(arg('--repeat', '2')));
const isolation = arg('--isolation', 'as-served');
const chosenThreads = arg('--threads', '');
const modelFile = join(import.meta.dirname, 'spin-scaled-share', 'scaled-share.json');
const scenario = `scaled-${n}`;

const session = await apiSession(base);
const document = JSON.parse(readFileSync(modelFile, 'utf8'));
document.name = `Spin share N=${n} (bench ${Date.now().toString(36)})`;
const created = await fetch(`${base}/api/models`, { method: 'POST', headers: { ...session.headers, 'content-type': 'application/json' }, body: JSON.stringify({ document }) });
if (created.status !== 201) throw new Error(`could not create the model: ${created.status} ${await created.text()}`);
const id = (await created.json()).model.id as string;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
/**
 * The server re-checks each run the page saves; a CLI run taken while it does
 * would share the cores with it. Waits until no stored run is still awaiting it.
 */
async function serverDone(): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 15 * 60_000; await new Promise((r) => setTimeout(r, 250))) {
    const listed = await fetch(`${base}/api/models/${id}/versions/1/runs`, { headers: session.headers });
    const { runs } = (await listed.json()) as { runs: Array<{ verification: { status: string } }> };
    if (runs.every((run) => run.verification.status !== 'reported')) return;
  }
  throw new Error('the server did not finish re-checking the saved runs');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const browserMs: number[] = [];
const cliMs: number[] = [];
try {
  for (let r = 0; r < repeat; r++) {
    const context = await browser.newContext({ baseURL: base });
    await context.addCookies(
      session.headers.cookie.split('; ').map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), url: base })),
    );
    if (isolation === 'off') {
      await context.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['document-isolation-policy'];
        await route.fulfill({ response, headers });
      });
    }
    const page = await context.newPage();
    await page.goto(`/models/${id}/check`);
    const isolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.getByTestId('check-scenario').selectOption(scenario);
    await page.getByLabel('Symmetry reduction').uncheck();
    await page.getByLabel('Merge local steps').uncheck();
    if (chosenThreads) await page.getByTestId('check-threads').selectOption(chosenThreads);
    const threads = chosenThreads ? Number(chosenThreads) : cores;
    // The main thread's longest pause while the check runs.
    await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __timer: number };
      w.__gaps = [];
      let last = performance.now();
      w.__timer = window.setInterval(() => {
        const t = performance.now();
        w.__gaps.push(t - last);
        last = t;
      }, 50);
    });
    await page.getByRole('button', { name: 'Run check' }).click();
    const row = page.locator(`[data-testid="result-row"][data-scenario="${scenario}"]`);
    await row.locator('[data-testid="result-verdict"]').waitFor({ timeout: 15 * 60_000 });
    const gap = await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __timer: number };
      clearInterval(w.__timer);
      return Math.max(...w.__gaps);
    });
    const states = Number(await row.getAttribute('data-states'));
    const ms = Number(await row.getAttribute('data-elapsed-ms'));
    browserMs.push(ms);
    console.log(`Chromium: ${states.toLocaleString('en')} states in ${ms.toFixed(0)} ms, ${threads} threads, crossOriginIsolated ${isolated}, longest main-thread gap ${gap.toFixed(0)} ms`);
    await context.close();
    await serverDone();

    const out = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'bin', 'lockstep.mjs'), 'check', modelFile, '--scenario', scenario, '--no-symmetry', '--no-merge', '--json', '--workers', String(threads)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const cli = JSON.parse(out).results[0].stats;
    cliMs.push(cli.elapsedMs);
    console.log(`CLI --workers ${threads}: ${cli.distinctStates.toLocaleString('en')} states in ${cli.elapsedMs.toFixed(0)} ms`);
    if (cli.distinctStates !== states) throw new Error(`the browser found ${states} states, the CLI ${cli.distinctStates}`);
  }
  // Progress rate and Stop latency, on one more run of the largest scenario (it outlasts the hand-over to threads).
  const context = await browser.newContext({ baseURL: base });
  await context.addCookies(
    session.headers.cookie.split('; ').map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), url: base })),
  );
  const page = await context.newPage();
  await page.goto(`/models/${id}/check`);
  await page.getByTestId('check-scenario').selectOption('scaled-8');
  await page.getByLabel('Symmetry reduction').uncheck();
  await page.getByLabel('Merge local steps').uncheck();
  await page.getByRole('button', { name: 'Run check' }).click();
  const progress = page.getByTestId('check-progress');
  await progress.waitFor();
  const updates = async () => Number(await progress.getAttribute('data-updates'));
  const u0 = await updates();
  const t0 = Date.now();
  await page.waitForTimeout(2000);
  const rate = ((await updates()) - u0) / ((Date.now() - t0) / 1000);
  await page.getByRole('button', { name: 'Stop' }).click();
  const stopMs = Number(await page.getByTestId('stopped').getAttribute('data-stop-ms'));
  console.log(`progress: ${rate.toFixed(1)} updates/s; Stop shown after ${stopMs.toFixed(0)} ms`);
  await context.close();
} finally {
  await browser.close();
  await fetch(`${base}/api/models/${id}`, { method: 'DELETE', headers: session.headers });
}
console.log(
  `\n# ${scenario} no reductions; ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}; isolation ${isolation}; threads ${chosenThreads || 'one per core'}; median of ${repeat}: Chromium ${median(browserMs).toFixed(0)} ms, CLI ${median(cliMs).toFixed(0)} ms, Chromium / CLI ${(median(browserMs) / median(cliMs)).toFixed(2)}`,
);
