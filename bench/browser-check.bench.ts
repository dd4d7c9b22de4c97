/**
 * The checker's throughput inside Chromium's Web Worker, driven through the
 * check page, next to the same model in Node (this process). The model is the
 * lead's scaled share model (bench/check.bench.ts): N naive deleters and N
 * naive snapshotters on one share, every check off, so the whole space is
 * explored.
 *
 *   npx tsx bench/browser-check.bench.ts --base http://127.0.0.1:3255 [--n 5,6] [--off] [--repeat 3]
 *
 * Each size runs `--repeat` times, alternating browser and Node; the summary
 * gives the best run of each (on a shared machine the best is the least
 * disturbed one) and the median.
 *
 * Needs a running app (`npm start`, or `next start` on a prepared database).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const base = arg('--base', process.env.LOCKSTEP_BASE_URL ?? 'http://127.0.0.1:3000');
const sizes = arg('--n', '5,6').split(',').map(Number);
const reductions = !args.includes('--off');
const repeat = Math.max(1, Number(arg('--repeat', '1')));

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const CHECKS_OFF = { invariants: false, assertions: false, illegalTransition: false, deadlock: false, stuckTransitional: false, lockLeak: false, releaseUnheld: false, staleWrite: false };

function scaled(n: number) {
  const doc = structuredClone(example);
  doc.name = `Scaled share ${n} (bench ${Date.now().toString(36)})`;
  doc.scenarios = [
    {
      name: `scaled-${n}`,
      instances: [
        { name: 'share1', type: 'Share', state: 'available' },
        { name: 'snap1', type: 'Snapshot', fields: { share: 'share1' } },
      ],
      processes: [
        { name: 'delete', operation: 'deleteShareNaive', args: { share: 'share1' }, count: n },
        { name: 'snapshot', operation: 'createSnapshotNaive', args: { share: 'share1', snap: 'snap1' }, count: n },
      ],
      checks: CHECKS_OFF,
    },
  ];
  return doc;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const chromiumVersion = browser.version();
const rows: string[][] = [['N', 'reductions', 'where', 'distinct states', 'transitions', 'ms', 'states/s']];
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const rates: Array<{ n: number; where: string; rate: number }> = [];
try {
  for (const n of sizes) for (let k = 0; k < repeat; k++) {
    const doc = scaled(n);
    const created = await fetch(`${base}/api/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document: doc, author: 'bench' }) });
    if (created.status !== 201) throw new Error(`could not create the model: ${created.status} ${await created.text()}`);
    const id = (await created.json()).model.id as string;

    const page = await browser.newPage();
    await page.goto(`${base}/models/${id}/check`);
    await page.getByTestId('check-scenario').selectOption(`scaled-${n}`);
    if (!reductions) {
      await page.getByLabel('Symmetry reduction').uncheck();
      await page.getByLabel('Merge local steps').uncheck();
    }
    await page.getByRole('button', { name: 'Run check' }).click();
    const row = page.locator(`[data-testid="result-row"][data-scenario="scaled-${n}"]`);
    await row.locator('[data-testid="result-verdict"]').waitFor({ timeout: 15 * 60_000 });
    const states = Number(await row.getAttribute('data-states'));
    const transitions = Number(await row.getAttribute('data-transitions'));
    const ms = Number(await row.getAttribute('data-elapsed-ms'));
    rows.push([String(n), reductions ? 'on' : 'off', 'Chromium worker', fmt(states), fmt(transitions), fmt(ms), fmt((states / ms) * 1000)]);
    rates.push({ n, where: 'Chromium worker', rate: (states / ms) * 1000 });
    console.log(rows.at(-1)!.join('\t'));
    await page.close();
    await fetch(`${base}/api/models/${id}`, { method: 'DELETE' });

    // Node: the lead's bench (npm run bench:check -- --n N --on|--off) in a child process, so nothing of Playwright is loaded beside it.
    const out = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(import.meta.dirname, 'check.bench.ts'), '--n', String(n), reductions ? '--on' : '--off'], {
      encoding: 'utf8',
    });
    const cols = out.trim().split('\n').at(-1)!.split('\t');
    // N, reductions, distinct states, transitions, wall ms, states/s (wall), cpu ms, states/s (cpu), bytes/state, verdict
    const nodeRate = Number(cols[5].replace(/,/g, ''));
    rows.push([String(n), reductions ? 'on' : 'off', `Node ${process.version}`, cols[2], cols[3], cols[4], cols[5], `cpu: ${cols[7]}/s`]);
    console.log(rows.at(-1)!.join('\t'));
    rates.push({ n, where: `Node ${process.version}`, rate: nodeRate });
    console.log(rows.at(-1)!.join('\t'));
  }
} finally {
  await browser.close();
}
console.log(`\n# scaled share model; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; Chromium ${chromiumVersion}`);
for (const r of rows) console.log(r.map((c, i) => (i < 3 ? c.padEnd(i === 2 ? 16 : 11) : c.padStart(i === 7 ? 24 : 14))).join(''));
if (repeat > 1) {
  console.log('\nN   where             best states/s   median states/s');
  for (const n of sizes) {
    for (const where of [...new Set(rates.map((r) => r.where))]) {
      const xs = rates.filter((r) => r.n === n && r.where === where).map((r) => r.rate).sort((a, b) => a - b);
      console.log(`${String(n).padEnd(4)}${where.padEnd(18)}${fmt(xs.at(-1)!).padStart(15)}${fmt(xs[Math.floor(xs.length / 2)]).padStart(18)}`);
    }
  }
}
