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
import { cpus } from 'node:os';
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { scaledShareDocument } from './scaled-share';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const base = arg('--base', process.env.LOCKSTEP_BASE_URL ?? 'http://127.0.0.1:3000');
const sizes = arg('--n', '5,6').split(',').map(Number);
const reductions = !args.includes('--off');
const repeat = Math.max(1, Number(arg('--repeat', '1')));

function scaled(n: number) {
  const doc = scaledShareDocument(n);
  doc.name = `Scaled share ${n} (bench ${Date.now().toString(36)})`;
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
    // Read the bench's table by its header, so a new column cannot shift the figures.
    const lines = out.trim().split('\n').filter((line) => !line.startsWith('#'));
    const header = lines[0].split('\t');
    const cells = lines.at(-1)!.split('\t');
    const col = (name: string) => cells[header.indexOf(name)];
    const nodeRate = Number(col('states/s (wall)').replace(/,/g, ''));
    rows.push([String(n), reductions ? 'on' : 'off', `Node ${process.version}`, col('distinct states'), col('transitions'), col('wall ms'), col('states/s (wall)'), `cpu: ${col('states/s (cpu)')}/s`]);
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
