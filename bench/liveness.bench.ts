/**
 * npm run bench:liveness — what the liveness search costs beside the safety
 * search on the same state space: the scaled share model (bench/scaled-share.ts,
 * N naive deleters and N naive snapshotters, safety checks off so the whole
 * space is explored) with `checks.termination` on. Rows per N:
 *
 *   safety           the BFS as a check runs it (symmetry and merging on)
 *   safety, no sym   the same BFS without symmetry: the space liveness searches
 *   liveness         recording the whole graph (every edge) + Tarjan + lasso search
 *
 * bytes/state: the search's own structures divided by distinct states (for
 * liveness: the recorded graph, the peak queue and the Tarjan pass).
 *
 *   npm run bench:liveness                 N = 2..5
 *   npm run bench:liveness -- --n 4
 */
import { cpus } from 'node:os';
import { analyzeModel } from '../lib/model';
import { explore } from '../lib/check/explore';
import { exploreLiveness } from '../lib/check/liveness';
import { compileSystem } from '../lib/check/system';
import type { CheckStats } from '../lib/check/result';
import { scaledShareDocument } from './scaled-share';

const args = process.argv.slice(2);
const only = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : null;
const LIMITS = { maxStates: 20_000_000, timeLimitMs: 120_000 };

function model(n: number) {
  const doc = scaledShareDocument(n, 'naive');
  doc.scenarios[0].checks = { ...doc.scenarios[0].checks, termination: true };
  const analyzed = analyzeModel(doc);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

const rows: string[][] = [['N', 'search', 'distinct states', 'transitions', 'cpu ms', 'states/s (cpu)', 'bytes/state', 'verdict']];
function row(n: number, search: string, stats: CheckStats, cpuMs: number, verdict: string) {
  rows.push([
    String(n),
    search,
    stats.distinctStates.toLocaleString('en'),
    stats.transitions.toLocaleString('en'),
    cpuMs.toFixed(0),
    Math.round((stats.distinctStates / cpuMs) * 1000).toLocaleString('en'),
    String(stats.bytesPerState),
    verdict,
  ]);
  console.log(rows[rows.length - 1].join('\t'));
}

function timed<T>(f: () => T): [T, number] {
  const before = process.cpuUsage();
  const value = f();
  const cpu = process.cpuUsage(before);
  return [value, (cpu.user + cpu.system) / 1000];
}

console.log(`# bench:liveness — scaled share model (naive); ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}`);
console.log(rows[0].join('\t'));
for (const n of only ? [only] : [2, 3, 4, 5]) {
  const m = model(n);
  const name = `scaled-${n}`;
  const [safety, safetyMs] = timed(() => explore(compileSystem(m, name), LIMITS));
  row(n, 'safety', safety.stats, safetyMs, safety.verdict);
  const [plain, plainMs] = timed(() => explore(compileSystem(m, name, { symmetry: false }), LIMITS));
  row(n, 'safety, no sym', plain.stats, plainMs, plain.verdict);
  const [live, liveMs] = timed(() => exploreLiveness(compileSystem(m, name), LIMITS));
  row(n, 'liveness', live.stats, liveMs, live.verdict);
}
