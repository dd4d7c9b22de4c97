/**
 * How long checker threads take to be ready: from asking for them
 * (`startWorkerThreads`, as `lockstep check --workers K+1` does) to the last
 * one's "ready" (started, its script loaded, the model read, its partition
 * built, warmed up for WARM_UP_MS), with this thread idle; the CPU the
 * process spent meanwhile (the threads', and V8's compiler threads'); and the
 * longest pause of this thread's event loop while they started (a search
 * would have stood still that long). The first start is not counted: it
 * bundles the threads' script once.
 *
 *   npm run bench:thread-start -- [--starts 8] [--threads 1] [--large]
 *
 * The model is the Spin benchmark's (scaled-7, no reductions); `--large`
 * takes the largest valid model instead: the Manila example with its
 * operations copied up to the document's value limit (about 160 KB of JSON).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeModel } from '../lib/model';
import { partitionSetups } from '../lib/check/level-runner';
import { startWorkerThreads } from '../bin/commands/check-workers';

const { values } = parseArgs({ options: { starts: { type: 'string', default: '8' }, threads: { type: 'string', default: '1' }, large: { type: 'boolean', default: false } } });
const threads = Number(values.threads);

function largestModel(): unknown {
  const document = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'examples', 'manila-data-service-ha.json'), 'utf8'));
  const operations = document.operations as Array<{ name: string }>;
  const originals = operations.length;
  // 140 copies: one more passes MAX_DOCUMENT_VALUES.
  for (let i = 0; i < 140; i++) operations.push({ ...structuredClone(operations[i % originals]), name: `${operations[i % originals].name}_copy${i}` });
  return document;
}
const document = values.large ? largestModel() : JSON.parse(readFileSync(join(import.meta.dirname, 'spin-scaled-share', 'scaled-share.json'), 'utf8'));
const analyzed = analyzeModel(document);
if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
const scenario = values.large ? analyzed.value.scenarios[0].source.name : 'scaled-7';
const options = values.large ? { symmetry: true, mergeLocalSteps: true } : { symmetry: false, mergeLocalSteps: false };
// The setups of partitions 1…K: this thread would be partition 0.
const setups = partitionSetups(analyzed.value, scenario, options, threads + 1).slice(1);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const walls: number[] = [];
const cpus: number[] = [];
const pauses: number[] = [];
for (let i = 0; i <= Number(values.starts); i++) {
  let last = performance.now();
  let pause = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    pause = Math.max(pause, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 10));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const runner = await startWorkerThreads(setups);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(ticker);
  await runner.close();
  if (i === 0) continue;
  walls.push(wall);
  cpus.push((used.user + used.system) / 1000);
  pauses.push(pause);
}
console.log(
  `${threads} thread${threads === 1 ? '' : 's'}, ${values.large ? 'largest valid model' : 'Spin model'}: ready after ${median(walls).toFixed(0)} ms ` +
    `(median of ${walls.length}; ${walls.map((w) => w.toFixed(0)).join(' ')}), process CPU meanwhile ${median(cpus).toFixed(0)} ms, ` +
    `this thread's longest pause ${median(pauses).toFixed(0)} ms`,
);
