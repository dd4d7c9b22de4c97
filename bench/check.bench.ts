/**
 * npm run bench:check — the scaled share model: N naive deleters and N naive
 * snapshotters on one share, every check switched off so the whole space is
 * explored. Prints distinct states, time, states per second and bytes per
 * stored state, with and without reductions.
 *
 *   npm run bench:check                       naive model N = 2..6 both ways; fixed model N = 8 both ways
 *   npm run bench:check -- --n 5 --off        one size, reductions off only
 *   npm run bench:check -- --model fixed --n 8
 *
 * Every run is bounded (60 s, 60 million states): a run that hits a bound says
 * `incomplete`. The naive model measures raw throughput (its spaces reach 10^6
 * states and more); the fixed model shows what the reductions buy.
 */
import { cpus } from 'node:os';
import { analyzeModel } from '../lib/model';
import { checkScenario } from '../lib/check';
import { scaledShareDocument, type ShareVariant } from './scaled-share';

const args = process.argv.slice(2);
const only = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : null;
const offOnly = args.includes('--off');
const onOnly = args.includes('--on');
/** `--model naive` (read-then-write operations, the default) or `--model fixed` (cas and atomic). */
const chosen = args.includes('--model') ? args[args.indexOf('--model') + 1] : null;

function scaled(n: number, variant: string) {
  const analyzed = analyzeModel(scaledShareDocument(n, variant as ShareVariant));
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

// Wall time is what a user waits; CPU time is steadier on a shared 2-core machine.
const rows: string[][] = [['model', 'N', 'reductions', 'distinct states', 'transitions', 'wall ms', 'states/s (wall)', 'cpu ms', 'states/s (cpu)', 'bytes/state', 'verdict']];
function run(variant: string, n: number, reductions: boolean) {
  const model = scaled(n, variant);
  const cpuBefore = process.cpuUsage();
  const result = checkScenario(model, `scaled-${n}`, { symmetry: reductions, mergeLocalSteps: reductions, maxStates: 60_000_000, timeLimitMs: 60_000 });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const s = result.stats;
  rows.push([
    variant,
    String(n),
    reductions ? 'on' : 'off',
    s.distinctStates.toLocaleString('en'),
    s.transitions.toLocaleString('en'),
    s.elapsedMs.toFixed(0),
    s.statesPerSecond.toLocaleString('en'),
    cpuMs.toFixed(0),
    Math.round((s.distinctStates / cpuMs) * 1000).toLocaleString('en'),
    String(s.bytesPerState),
    result.verdict,
  ]);
  console.log(rows[rows.length - 1].join('\t'));
}

console.log(`# scaled share model; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}`);
console.log(rows[0].join('\t'));
const plan: Array<[string, number[]]> = only ? [[chosen ?? 'naive', [only]]] : chosen ? [[chosen, [2, 3, 4, 5, 6]]] : [['naive', [2, 3, 4, 5, 6]], ['fixed', [8]]];
for (const [variant, sizes] of plan) {
  for (const n of sizes) {
    if (!offOnly) run(variant, n, true);
    if (!onOnly) run(variant, n, false);
  }
}
