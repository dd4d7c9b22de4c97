/**
 * How long a checker thread takes to be ready: from asking for it
 * (`startWorkerThreads`, as `lockstep check --workers 2` does) to its
 * "ready" (started, its script loaded, its partition built, warmed up for
 * WARM_UP_MS), with this thread idle; and the CPU the process spent
 * meanwhile (the thread's, and V8's compiler threads'). The first start is
 * not counted: it bundles the thread's script once.
 *
 *   npm run bench:thread-start -- [--starts 8] [--scenario scaled-7]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeModel } from '../lib/model';
import { partitionSetups } from '../lib/check/level-runner';
import { startWorkerThreads } from '../bin/commands/check-workers';

const { values } = parseArgs({ options: { starts: { type: 'string', default: '8' }, scenario: { type: 'string', default: 'scaled-7' } } });
const document = JSON.parse(readFileSync(join(import.meta.dirname, 'spin-scaled-share', 'scaled-share.json'), 'utf8'));
const analyzed = analyzeModel(document);
if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
// The setup of the second of two partitions, without reductions: what `--workers 2` starts a thread for.
const setup = partitionSetups(analyzed.value, values.scenario, { symmetry: false, mergeLocalSteps: false }, 2)[1];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const walls: number[] = [];
const cpus: number[] = [];
for (let i = 0; i <= Number(values.starts); i++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const runner = await startWorkerThreads([setup]);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await runner.close();
  if (i === 0) continue;
  walls.push(wall);
  cpus.push((used.user + used.system) / 1000);
}
console.log(`thread ready after ${median(walls).toFixed(0)} ms (median of ${walls.length}; ${walls.map((w) => w.toFixed(0)).join(' ')}), process CPU meanwhile ${median(cpus).toFixed(0)} ms`);
