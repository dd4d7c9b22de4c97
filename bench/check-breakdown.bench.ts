/**
 * Where the explorer's time goes: replays the BFS inner loop over the first
 * 300,000 states of the scaled share model, adding one part at a time
 * (enumerating moves, applying them, fingerprinting, the visited set), and
 * prints the CPU milliseconds each part adds.
 *
 *   npx tsx bench/check-breakdown.bench.ts [N] [on|off] [spin]     (default 3 off)
 *
 * `spin` takes the Spin-equivalent model (bench/spin-scaled-share) instead of
 * the share example's naive operations; profile with
 * `node --cpu-prof --import tsx bench/check-breakdown.bench.ts 7 off spin`.
 */
import { analyzeModel } from '../lib/model';
import { compileSystem } from '../lib/check';
import { Semantics } from '../lib/check/semantics';
import { makeFingerprinter } from '../lib/check/canonical';
import { FingerprintSet, StateQueue } from '../lib/check/store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaledShareDocument } from './scaled-share';

const n = Number(process.argv[2] ?? 3);
const reductions = process.argv[3] === 'on';
const spin = process.argv[4] === 'spin';
const document = spin ? JSON.parse(readFileSync(join(import.meta.dirname, 'spin-scaled-share', 'scaled-share.json'), 'utf8')) : scaledShareDocument(n);
const analyzed = analyzeModel(document);
if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
const system = compileSystem(analyzed.value, `scaled-${n}`, { symmetry: reductions, mergeLocalSteps: reductions });
const semantics = new Semantics(system);
const fingerprint = makeFingerprinter(system);
const fp = new Int32Array(2);
const next = new Int32Array(system.size);
const moves = new Int32Array(semantics.maxMoves);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

// Collect a sample of states in BFS order.
const sample: Int32Array[] = [];
{
  const seen = new FingerprintSet(1 << 10);
  const queue = new StateQueue(system.size, system.slotRanges);
  const current = new Int32Array(system.size);
  const init = semantics.initial().state;
  fingerprint(init, fp);
  seen.add(fp[0], fp[1]);
  queue.push(init);
  while (queue.length > 0 && sample.length < 300_000) {
    queue.shift(current);
    sample.push(current.slice());
    const count = semantics.listMoves(current, moves, true);
    for (let i = 0; i < count; i++) {
      semantics.apply(current, moves[i], next);
      fingerprint(next, fp);
      if (seen.add(fp[0], fp[1])) queue.push(next);
    }
  }
}

function time(work: (s: Int32Array) => void): number {
  const start = process.cpuUsage();
  for (const s of sample) work(s);
  return cpuMs(start);
}
const list = time((s) => semantics.listMoves(s, moves, true));
const apply = time((s) => {
  const c = semantics.listMoves(s, moves, true);
  for (let i = 0; i < c; i++) semantics.apply(s, moves[i], next);
});
const hash = time((s) => {
  const c = semantics.listMoves(s, moves, true);
  for (let i = 0; i < c; i++) {
    semantics.apply(s, moves[i], next);
    fingerprint(next, fp);
  }
});
const set = new FingerprintSet(1 << 10);
const all = time((s) => {
  const c = semantics.listMoves(s, moves, true);
  for (let i = 0; i < c; i++) {
    semantics.apply(s, moves[i], next);
    fingerprint(next, fp);
    set.add(fp[0], fp[1]);
  }
});
console.log(`N=${n}, reductions ${reductions ? 'on' : 'off'}, ${sample.length.toLocaleString('en')} states, ${system.size} slots per state`);
console.log(`cpu ms: list moves ${list.toFixed(0)}, apply ${(apply - list).toFixed(0)}, fingerprint ${(hash - apply).toFixed(0)}, visited set ${(all - hash).toFixed(0)}`);
