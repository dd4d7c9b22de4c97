/**
 * npx tsx bench/verify.bench.ts [--rounds 5] [--database postgresql://…]
 *
 * The verification queue's throughput and cost, through the real code: a
 * fresh database (SQLite by default), every shipped example model, a genuine run
 * of every scenario reported `rounds` times, and one JobRunner (what one
 * server process runs) working the queue until it is empty. Prints jobs per
 * minute, each example's verification time (claim → verdict written, in the
 * worker pool), and a larger model's for scale (the scaled share model).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type DbConfig } from '../lib/db';
import { createModel } from '../lib/db/models';
import { recordCheckRun } from '../lib/db/runs';
import { JobRunner } from '../lib/jobs/runner';
import { closePools } from '../lib/jobs/pool';
import { queueCounts } from '../lib/jobs/queue';
import { example, exampleFiles, genuineRun } from '../tests/jobs/helpers';
import { scaledShareDocument } from './scaled-share';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const rounds = Number(arg('rounds', '5'));
const pgUrl = args.includes('--database') ? arg('database', '') : null;

const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-verify-bench-'));
const config: DbConfig = pgUrl ? { provider: 'postgresql', url: pgUrl } : { provider: 'sqlite', url: `file:${path.join(dir, 'bench.db')}`, file: path.join(dir, 'bench.db') };
await migrate(config);
const db = await openDatabase(config);
const quiet = { log: () => {} };

try {
  const models: Array<{ id: string; file: string; document: unknown; scenarios: string[] }> = [];
  for (const file of exampleFiles()) {
    const document = example(file);
    const m = await createModel(db.prisma, { document: { ...document, name: `${document.name} ${Date.now()}` } });
    models.push({ id: m.id, file, document, scenarios: document.scenarios.map((s: { name: string }) => s.name) });
  }
  const runsOf = (m: (typeof models)[number]) => m.scenarios.map((s) => genuineRun(m.document, s));

  // Warm the pool (its first thread compiles the checker), so the figures are steady state.
  const warm = new JobRunner(db.prisma, quiet);
  await recordCheckRun(db.prisma, { modelId: models[0].id, versionNumber: 1, ...runsOf(models[0])[0] });
  while (await warm.runOnce());

  // 1. Throughput: every scenario of every example, `rounds` times over.
  let jobs = 0;
  for (let r = 0; r < rounds; r++) for (const m of models) for (const run of runsOf(m)) {
    await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 1, ...run });
    jobs++;
  }
  const runner = new JobRunner(db.prisma, quiet);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (await runner.runOnce());
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const statuses = await db.prisma.checkRun.groupBy({ by: ['status'], _count: { _all: true } });
  console.log(`database: ${config.provider}`);
  console.log(`throughput: ${jobs} jobs (${models.reduce((n, m) => n + m.scenarios.length, 0)} scenarios × ${rounds}) in ${seconds.toFixed(2)} s = ${Math.round((jobs / seconds) * 60)} jobs/minute, one runner`);
  console.log(`  process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (workers included) · outcomes ${statuses.map((s) => `${s.status} ${s._count._all}`).join(', ')} · queue ${JSON.stringify(await queueCounts(db.prisma))}`);

  // 2. Cost per example: all its scenarios, timed job by job.
  console.log('per example (all its scenarios; claim → verdict written):');
  for (const m of models) {
    for (const run of runsOf(m)) await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 1, ...run });
    const times: number[] = [];
    for (;;) {
      const t = performance.now();
      if (!(await runner.runOnce())) break;
      times.push(performance.now() - t);
    }
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`  ${m.file.padEnd(36)} ${m.scenarios.length} jobs, ${total.toFixed(0)} ms total, slowest ${Math.max(...times).toFixed(0)} ms`);
  }

  // 3. For scale: the scaled share model (N deleters and N snapshotters, every check off: the whole space).
  for (const n of [3, 4]) {
    const document = scaledShareDocument(n, 'naive');
    const m = await createModel(db.prisma, { document: { ...document, name: `scaled ${n} ${Date.now()}` } });
    const run = genuineRun(document, `scaled-${n}`);
    await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 1, ...run });
    const c0 = process.cpuUsage();
    const t = performance.now();
    await runner.runOnce();
    const ms = performance.now() - t;
    const c = process.cpuUsage(c0);
    const stored = await db.prisma.checkRun.findFirstOrThrow({ where: { modelVersion: { modelId: m.id } }, select: { status: true } });
    console.log(`  scaled share n=${n}: ${(run.stats as { distinctStates: number }).distinctStates.toLocaleString('en')} states, ${stored.status} in ${ms.toFixed(0)} ms (CPU ${((c.user + c.system) / 1e6).toFixed(2)} s)`);
  }
} finally {
  await closePools();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
