#!/usr/bin/env node
/**
 * npm run bench:spin — Lockstep against Spin on the same state space
 * (bench/spin-scaled-share: one scenario written in Promela and as a
 * Lockstep model; they agree state for state).
 *
 * Two rows in one thread (`--workers 1`), each run as whole processes taken
 * in turn (Lockstep, pan, Lockstep, pan …) so both see the same machine load:
 *   - no reductions, N=7: `lockstep check --no-symmetry --no-merge` vs pan built with -DNOREDUCE;
 *   - symmetry, N=8: `lockstep check --no-merge` vs pan of the hand-folded model (_dsym).
 * It checks the distinct-state counts agree and prints medians of wall and
 * CPU time and the Lockstep/Spin ratios. A benchmark, not a test: nothing in
 * `npm test` depends on it.
 *
 * Then the scaling row (no reductions, N=7): `--workers K` for each K of
 * `--scaling` (default 1,2,4), taken in turn, with the speedup over K = 1,
 * its CPU time against one thread's and the cores it kept busy (CPU over
 * wall); and what this machine allows: two one-thread checks run at the
 * same time (if each slows down, no 2-worker search can reach 2×), and
 * Spin's own multi-core verifier (pan built with -DNCORE=2) against its one
 * core.
 *
 *   npm run bench:spin
 *   npm run bench:spin -- --n 6 --sym-n 7 --repeats 5
 *   npm run bench:spin -- --rows nored --workers 2     (the Spin rows with lockstep check --workers 2)
 *   npm run bench:spin -- --rows scaling --scaling 1,2 --n 8
 *   npm run bench:spin -- --baseline DIR      (also runs DIR/bin/lockstep.mjs in the same rounds: before/after)
 *
 * Installs Debian's `spin` when it is missing (as root, like `npm test` does
 * for Chromium); needs gcc.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const root = join(here, '..');
const modelDir = join(here, 'spin-scaled-share');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '7' },
    'sym-n': { type: 'string', default: '8' },
    repeats: { type: 'string', default: '3' },
    rows: { type: 'string', default: 'nored,sym,scaling' },
    /** Threads for the Spin rows (default 1: Spin's pan is one thread). */
    workers: { type: 'string', default: '1' },
    /** Worker counts of the scaling row. */
    scaling: { type: 'string', default: '1,2,4' },
    /** Another checkout of Lockstep (e.g. before a change), run in the same rounds for a before/after ratio. */
    baseline: { type: 'string' },
  },
});
const repeats = Number(values.repeats);
const rowsWanted = values.rows.split(',');

function log(line) {
  console.log(line);
}

function ensureSpin() {
  if (spawnSync('spin', ['-V'], { encoding: 'utf8' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('spin is missing; install it with: sudo apt-get install -y spin');
  log('# installing Debian\'s spin (apt-get install -y spin)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'spin'], { stdio: 'inherit', env }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (!install()) throw new Error('apt-get install spin failed');
}

/** Builds pan for one Promela file and N in a scratch folder (cached by name); `cores` > 1 builds Spin's multi-core pan. */
function buildPan(pml, n, cores = 1) {
  const dir = join(tmpdir(), 'lockstep-bench-spin', `${pml.replace(/\.pml$/, '')}-N${n}${cores > 1 ? `-NCORE${cores}` : ''}`);
  const pan = join(dir, 'pan');
  if (existsSync(pan)) return pan;
  mkdirSync(dir, { recursive: true });
  for (const f of [pml, 'lockstep.h', 'share.h']) copyFileSync(join(modelDir, f), join(dir, f));
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  };
  run('spin', [`-DN=${n}`, '-a', pml]);
  run('gcc', ['-O2', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=16384', ...(cores > 1 ? [`-DNCORE=${cores}`] : []), '-o', 'pan', 'pan.c']);
  return pan;
}

/** CPU seconds used by reaped children so far (Linux: cutime + cstime of this process). */
function childCpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the ") ", field 3 (state) is index 0, so cutime (16) and cstime (17) are 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function timed(cmd, args, cwd) {
  const cpu0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpuSeconds() - cpu0;
  return { r, wall, cpu };
}

function lockstepArgs(scenario, symmetry, checkout, workers) {
  const args = [join(checkout, 'bin', 'lockstep.mjs'), 'check', join(modelDir, 'scaled-share.json'), '--scenario', scenario, '--no-merge', '--json', '--max-states', '100000000'];
  if (!symmetry) args.push('--no-symmetry');
  // A baseline checkout that predates --workers ran one thread (and would refuse the option).
  if (knowsWorkers(checkout)) args.push('--workers', String(workers));
  return args;
}

const knowsWorkers = (checkout) => checkout === root || readFileSync(join(checkout, 'bin', 'lockstep.mjs'), 'utf8').includes('--workers');

function lockstepResult(r, wall, cpu) {
  if (r.status !== 0) throw new Error(`lockstep check failed (${r.status}):\n${r.stdout.slice(0, 2000)}${r.stderr}`);
  const result = JSON.parse(r.stdout).results[0];
  return { wall, cpu, states: result.stats.distinctStates, explore: result.stats.elapsedMs / 1000, verdict: result.verdict, bytesPerState: result.stats.bytesPerState };
}

function runLockstep(scenario, symmetry, checkout = root, workers = values.workers) {
  const { r, wall, cpu } = timed(process.execPath, lockstepArgs(scenario, symmetry, checkout, workers), checkout);
  return lockstepResult(r, wall, cpu);
}

/** Several one-thread checks started at once; each one's wall time (CPU is not separable per child here). */
async function runLockstepTogether(scenario, copies) {
  const one = () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, lockstepArgs(scenario, false, root, 1), { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => {
        try {
          resolve(lockstepResult({ status, stdout, stderr }, (performance.now() - t0) / 1000, NaN));
        } catch (error) {
          reject(error);
        }
      });
    });
  return Promise.all(Array.from({ length: copies }, one));
}

function runPan(pan) {
  // In its own folder: the multi-core pan names its shared memory after the files there (ftok).
  const { r, wall, cpu } = timed(pan, ['-m1000000'], dirname(pan));
  const out = r.stdout;
  const stored = /(\d+) states, stored/.exec(out);
  if (!stored) throw new Error(`pan printed no state count (exit ${r.status}, signal ${r.signal}, ${r.error?.message ?? 'no error'}):\n${out}${r.stderr}`);
  const errors = /errors: (\d+)/.exec(out);
  const elapsed = /elapsed time ([\d.e+-]+) seconds/.exec(out);
  return { wall, cpu, states: Number(stored[1]), errors: errors ? Number(errors[1]) : NaN, explore: elapsed ? Number(elapsed[1]) : NaN };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x) => x.toFixed(2);

function row(label, scenario, n, symmetry, pml) {
  const pan = buildPan(pml, n);
  const a = [];
  const b = [];
  const c = [];
  const load0 = loadavg()[0];
  for (let i = 0; i < repeats; i++) {
    const l = runLockstep(scenario, symmetry);
    a.push(l);
    log(`  ${label} run ${i + 1}: lockstep ${f(l.wall)} s wall, ${f(l.cpu)} s cpu, explore ${f(l.explore)} s, ${l.states.toLocaleString('en')} states, ${l.bytesPerState} B/state`);
    const s = runPan(pan);
    b.push(s);
    log(`  ${label} run ${i + 1}: pan      ${f(s.wall)} s wall, ${f(s.cpu)} s cpu, ${s.states.toLocaleString('en')} states, errors ${s.errors}`);
    if (values.baseline) {
      const o = runLockstep(scenario, symmetry, values.baseline);
      c.push(o);
      log(`  ${label} run ${i + 1}: baseline ${f(o.wall)} s wall, ${f(o.cpu)} s cpu, explore ${f(o.explore)} s, ${o.states.toLocaleString('en')} states`);
    }
  }
  const load1 = loadavg()[0];
  const agree = [...a, ...c].every((x) => x.states === b[0].states) && b.every((x) => x.states === b[0].states);
  const m = (xs, k) => median(xs.map((x) => x[k]));
  return {
    label,
    states: `${a[0].states.toLocaleString('en')} / ${b[0].states.toLocaleString('en')} ${agree ? '(agree)' : 'DISAGREE'}`,
    agree,
    lockWall: m(a, 'wall'),
    panWall: m(b, 'wall'),
    lockCpu: m(a, 'cpu'),
    panCpu: m(b, 'cpu'),
    lockExplore: m(a, 'explore'),
    baseWall: c.length ? m(c, 'wall') : NaN,
    baseCpu: c.length ? m(c, 'cpu') : NaN,
    load: `${load0.toFixed(1)} → ${load1.toFixed(1)}`,
  };
}

/**
 * The scaling row: `--workers K` for each K, taken in turn; then two one-thread checks at once
 * (this machine's own limit for two workers) and Spin's pan with -DNCORE=2 against one core.
 */
async function scaling(n) {
  const ks = values.scaling.split(',').map(Number);
  const scenario = `scaled-${n}`;
  const runs = new Map(ks.map((k) => [k, []]));
  const together = [];
  const pan1 = buildPan('scaled_m1_fixed.pml', n);
  const pan2 = buildPan('scaled_m1_fixed.pml', n, 2);
  const spin1 = [];
  const spin2 = [];
  const load0 = loadavg()[0];
  for (let i = 0; i < repeats; i++) {
    for (const k of ks) {
      const l = runLockstep(scenario, false, root, k);
      runs.get(k).push(l);
      log(`  scaling N=${n} run ${i + 1}: --workers ${k}: ${f(l.wall)} s wall, ${f(l.cpu)} s cpu, explore ${f(l.explore)} s, ${l.states.toLocaleString('en')} states, ${l.bytesPerState} B/state`);
    }
    const pair = await runLockstepTogether(scenario, 2);
    together.push(...pair);
    log(`  scaling N=${n} run ${i + 1}: two --workers 1 checks at once: ${pair.map((p) => `${f(p.wall)} s wall, explore ${f(p.explore)} s`).join('; ')}`);
    const s1 = runPan(pan1);
    const s2 = runPan(pan2);
    spin1.push(s1);
    spin2.push(s2);
    log(`  scaling N=${n} run ${i + 1}: pan one core ${f(s1.wall)} s wall, pan -DNCORE=2 ${f(s2.wall)} s wall (${s2.states.toLocaleString('en')} states)`);
  }
  const load1 = loadavg()[0];
  const all = [...[...runs.values()].flat(), ...together];
  const agree = all.every((x) => x.states === spin1[0].states) && [...spin1, ...spin2].every((x) => x.states === spin1[0].states);
  const m = (xs, key) => median(xs.map((x) => x[key]));
  const one = runs.get(1) ?? runs.get(ks[0]);
  log('');
  log(`Scaling, N=${n} without reductions (${spin1[0].states.toLocaleString('en')} states${agree ? ', every count agrees with Spin' : ', COUNTS DISAGREE'}); load ${load0.toFixed(1)} → ${load1.toFixed(1)}, ${cpus().length} cores`);
  log('');
  // With every core busy, K workers take their CPU time over K: each second of CPU beyond one thread's costs them.
  log('| workers | wall s | explore s | cpu s | cpu vs 1 | cores busy | speedup, wall | speedup, explore | explore, by round | B/state |');
  log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const k of ks) {
    const xs = runs.get(k);
    // Each round's K-worker run against the one-thread run taken beside it: how far the medians can be trusted.
    const byRound = xs.map((x, i) => one[i].explore / x.explore);
    const spread = `${f(Math.min(...byRound))}–${f(Math.max(...byRound))}`;
    log(`| ${k} | ${f(m(xs, 'wall'))} | ${f(m(xs, 'explore'))} | ${f(m(xs, 'cpu'))} | ${f(m(xs, 'cpu') / m(one, 'cpu'))} | ${f(median(xs.map((x) => x.cpu / x.wall)))} | **${f(m(one, 'wall') / m(xs, 'wall'))}** | **${f(m(one, 'explore') / m(xs, 'explore'))}** | ${spread} | ${m(xs, 'bytesPerState')} |`);
  }
  const slowdown = m(together, 'explore') / m(one, 'explore');
  log('');
  log(`This machine's limit: two one-thread checks at once each search for ${f(m(together, 'explore'))} s (alone ${f(m(one, 'explore'))} s), ${f(slowdown)}× slower, so two workers can reach at most ${f(2 / slowdown)}× on this search.`);
  log(`Spin's multi-core pan (-DNCORE=2): ${f(m(spin2, 'wall'))} s wall against ${f(m(spin1, 'wall'))} s on one core: **${f(m(spin1, 'wall') / m(spin2, 'wall'))}×**.`);
  return agree;
}

ensureSpin();
const uptime = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
log(`# bench:spin — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, ${repeats} runs each, taken in turn`);
log(`# load before: ${uptime}`);
log(`# the Spin rows: lockstep check --workers ${values.workers}`);
const results = [];
if (rowsWanted.includes('nored')) {
  const n = Number(values.n);
  results.push(row(`N=${n} no reductions`, `scaled-${n}`, n, false, 'scaled_m1_fixed.pml'));
}
if (rowsWanted.includes('sym')) {
  const n = Number(values['sym-n']);
  results.push(row(`N=${n} symmetry vs dsym`, `scaled-${n}`, n, true, 'scaled_m1_fixed_dsym.pml'));
}
log(`# load after: ${spawnSync('uptime', { encoding: 'utf8' }).stdout.trim()}`);
log('');
log('| run | states (Lockstep / Spin) | Lockstep wall s | Spin wall s | wall ratio | Lockstep cpu s | Spin cpu s | cpu ratio | Lockstep explore s | load (1 min) |');
log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  log(`| ${r.label} | ${r.states} | ${f(r.lockWall)} | ${f(r.panWall)} | **${f(r.lockWall / r.panWall)}** | ${f(r.lockCpu)} | ${f(r.panCpu)} | **${f(r.lockCpu / r.panCpu)}** | ${f(r.lockExplore)} | ${r.load} |`);
}
if (values.baseline) {
  log('');
  log(`| run | baseline wall s | baseline cpu s | baseline/Spin cpu | this/baseline cpu | this/baseline wall |`);
  log('| --- | --- | --- | --- | --- | --- |');
  for (const r of results) log(`| ${r.label} | ${f(r.baseWall)} | ${f(r.baseCpu)} | ${f(r.baseCpu / r.panCpu)} | **${f(r.lockCpu / r.baseCpu)}** | ${f(r.lockWall / r.baseWall)} |`);
}
let scalingAgrees = true;
if (rowsWanted.includes('scaling')) {
  log('');
  scalingAgrees = await scaling(Number(values.n));
}
if (results.some((r) => !r.agree) || !scalingAgrees) {
  console.error('bench:spin: the distinct-state counts of Lockstep and Spin disagree');
  process.exitCode = 1;
}
