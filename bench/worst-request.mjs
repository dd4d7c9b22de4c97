#!/usr/bin/env node
// `npm run bench:worst`: the most expensive requests we can build for each
// endpoint, one at a time, against a `next start` server. Per request: wall
// time, the server process's CPU-seconds (utime+stime of /proc/<pid>/stat),
// its peak RSS during the request (VmHWM of /proc/<pid>/status, reset before
// each request through /proc/<pid>/clear_refs where permitted) and the
// slowest /api/health answer while it ran (probed every 150 ms).
//
//   npm run bench:worst                       # serves the existing build (LOCKSTEP_DIST_DIR, default .next) on a new SQLite file
//   npm run bench:worst -- http://127.0.0.1:3306 [--pid 1234]   # a running server (pid found from its port when omitted)
//   options: --only <substring>  --timeout <seconds per request, default 300>  --json <file>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareDatabase, startServer, log, ROOT } from '../scripts/lib/steps.mjs';
import { freePort } from '../scripts/lib/pg-cluster.mjs';

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const TIMEOUT_MS = Number(flag('timeout') ?? 300) * 1000;
const ONLY = flag('only');
const HEALTH_LIMIT_MS = 1000;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

// ── the server ──────────────────────────────────────────────────────────────
let server = null;
let base = argv.find((a) => /^https?:\/\//.test(a));
let pid = flag('pid') ? Number(flag('pid')) : null;
if (!base) {
  const dist = process.env.LOCKSTEP_DIST_DIR || '.next';
  if (!existsSync(path.join(ROOT, dist, 'BUILD_ID'))) {
    console.error(`no build in ${dist}: run \`LOCKSTEP_DIST_DIR=${dist} npx next build\` first, or pass a server URL`);
    process.exit(2);
  }
  const dir = path.join(ROOT, '.tmp', 'bench-worst');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = `file:${path.join(dir, 'app.db')}`;
  await prepareDatabase({ DATABASE_URL: url });
  server = await startServer({ port: await freePort(), env: { DATABASE_URL: url } });
  base = server.url;
  log(`serving ${dist} at ${base} on ${url}`);
}
if (!pid) pid = pidListeningOn(Number(new URL(base).port || 80));
if (!pid) {
  console.error(`cannot find the process listening on ${base}; pass --pid`);
  process.exit(2);
}

/** The pid of the process listening on `port` (from /proc/net/tcp's socket inode and every process's fds). */
function pidListeningOn(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${p}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${p}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(p);
      }
    } catch {}
  }
  return null;
}
function safeReadlink(p) {
  try {
    return execFileSync('readlink', [p], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function cpuSeconds() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}
function statusKb(key) {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
/** Resets VmHWM to the current RSS, so the next reading is the peak of one request (root, or the same user, only). */
function resetPeak() {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
const alive = () => existsSync(`/proc/${pid}/stat`);

// ── signing in (when the server has accounts) ───────────────────────────────
let headers = { origin: base };
async function signIn() {
  const admin = { name: 'Bench Admin', email: process.env.LOCKSTEP_BENCH_EMAIL || 'bench@lockstep.test', password: process.env.LOCKSTEP_BENCH_PASSWORD || 'bench-admin-password-1' };
  const post = (p, body) => fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body), redirect: 'manual' });
  const cookies = (r) => r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const setup = await post('/api/setup', { ...admin, workspace: 'Bench' });
  if (setup.status === 201) return void (headers = { origin: base, cookie: cookies(setup) });
  const signed = await post('/api/auth/sign-in/email', { email: admin.email, password: admin.password });
  if (signed.ok) return void (headers = { origin: base, cookie: cookies(signed) });
  log(`no session (setup ${setup.status}, sign-in ${signed.status}): sending requests without one`);
}

async function request(method, p, body) {
  const r = await fetch(base + p, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const buf = Buffer.from(await r.arrayBuffer());
  let json;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {}
  return { status: r.status, bytes: buf.length, json, text: buf.toString('utf8', 0, Math.min(buf.length, 300)) };
}

// ── the requests ────────────────────────────────────────────────────────────
const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));

/** The "did you mean" bomb: `n` transitions between names that do not exist, plus invariants using unknown fields. */
function unknownNames(n) {
  return {
    name: 'unknown names',
    resources: [{ name: 'Share', states: Array.from({ length: 200 }, (_, i) => ({ name: `state_${i}`, kind: 'stable' })), initial: 'state_0', transitions: Array.from({ length: n }, (_, i) => ({ from: `stat_${i}`, to: `sta_${i % 997}x` })) }],
    invariants: Array.from({ length: Math.ceil(n / 20) }, (_, i) => ({ name: `inv-${i}`, expr: `all(s: Share, s.state != "stat_${i}" && s.sise == ${i})` })),
  };
}
/** Names as long as the body allows, each one letter off from a declared one: the widest suggestion search. */
function longNearMisses(count, len) {
  const states = Array.from({ length: 200 }, (_, i) => ({ name: `s${String(i).padStart(4, '0')}${'a'.repeat(len)}`, kind: 'stable' }));
  return {
    name: 'near misses',
    resources: [{ name: 'Share', states, initial: states[0].name, transitions: Array.from({ length: count }, (_, i) => ({ from: `s${String(i % 200).padStart(4, '0')}${'a'.repeat(len - 1)}b`, to: states[1].name })) }],
  };
}
const withInvariant = (expr) => ({ ...example, name: 'deep expression', invariants: [...example.invariants, { name: 'deep', expr }] });
function nestedAny(n) {
  let e = 'true';
  for (let i = 0; i < n; i++) e = `any(x${i}: Share, ${e})`;
  return e;
}
/** `processes` independent processes of `steps` writes each: a long, valid trace (every process runs to its end in turn). */
function replayBomb(processes, steps) {
  return {
    name: 'replay bomb',
    resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [], fields: [{ name: 'n', type: { kind: 'int', min: 0, max: 255 }, initial: 0 }] }],
    operations: [{ name: 'touch', params: [{ name: 'share', type: 'Share' }], steps: Array.from({ length: steps }, (_, i) => ({ kind: 'write', target: 'share.n', value: String(i % 200), label: `w${i}` })) }],
    scenarios: [{ name: 'bomb', instances: Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, type: 'Share' })), processes: Array.from({ length: processes }, (_, i) => ({ name: `p${i}`, operation: 'touch', args: { share: `s${i % 50}` } })) }],
  };
}
/** Move code of process p's next step (semantics.ts: process << 12 | kind << 8 | sub). */
const bombMoves = (processes, steps) => Array.from({ length: Math.min(100_000, processes * steps) }, (_, i) => Math.floor(i / steps) << 12);
const bombRun = (moves, claim) => ({
  scenario: 'bomb',
  mode: 'exhaustive',
  options: { symmetry: false, mergeLocalSteps: false },
  verdict: 'violation',
  violation: claim,
  stats: { distinctStates: 1, transitions: 1, depth: moves.length, queue: 0, elapsedMs: 1, statesPerSecond: 1 },
  moves,
});
/** The largest valid model we can fit in 1 MB: one long lifecycle, described, with a layout. */
function hugeValidModel(states) {
  const names = Array.from({ length: states }, (_, i) => `state_${i}`);
  return {
    name: 'huge valid model',
    description: 'd'.repeat(9000),
    resources: [
      { name: 'Share', states: names.map((name, i) => ({ name, kind: i === states - 1 ? 'terminal' : 'stable', description: `state ${i}` })), initial: names[0], transitions: names.slice(1).map((to, i) => ({ from: names[i], to, name: `t${i}` })) },
    ],
    layout: { resources: { Share: Object.fromEntries(names.map((n, i) => [n, { x: i * 10.5, y: i * -3.25 }])) } },
  };
}

const results = [];
const state = {};

async function measure(name, fn) {
  if (ONLY && !name.includes(ONLY)) return;
  if (!alive()) {
    results.push({ name, error: 'server is down' });
    return;
  }
  const peakReset = resetPeak();
  const cpu0 = cpuSeconds();
  let healthMax = 0;
  let healthFailures = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      try {
        const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        await r.arrayBuffer();
        if (r.status !== 200) healthFailures++;
      } catch {
        healthFailures++;
      }
      healthMax = Math.max(healthMax, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  const t0 = performance.now();
  let outcome;
  try {
    outcome = await fn();
  } catch (error) {
    outcome = { status: 0, text: String(error.message ?? error) };
  }
  const wallMs = performance.now() - t0;
  probing = false;
  await probe;
  const up = alive();
  const row = {
    name,
    status: outcome.status,
    requestBytes: outcome.requestBytes,
    wallS: +(wallMs / 1000).toFixed(2),
    cpuS: up ? +(cpuSeconds() - cpu0).toFixed(2) : null,
    peakRssMb: up ? Math.round(statusKb('VmHWM') / 1024) : null,
    peakIsPerRequest: peakReset,
    healthMaxMs: Math.round(healthMax),
    healthUnder1s: healthMax < HEALTH_LIMIT_MS && healthFailures === 0,
    serverUp: up,
    answer: outcome.status >= 400 || outcome.status === 0 ? outcome.text?.slice(0, 160) : undefined,
  };
  results.push(row);
  log(`${name}: ${row.status} in ${row.wallS} s, ${row.cpuS} CPU-s, peak RSS ${row.peakRssMb} MB, health max ${row.healthMaxMs} ms${up ? '' : ' — THE SERVER DIED'}`);
}

const post = async (p, value) => {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  return { ...(await request('POST', p, body)), requestBytes: Buffer.byteLength(body) };
};

await signIn();
const created = await post('/api/models/import', { ...example, name: 'bench target' });
if (created.status !== 201) {
  console.error(`cannot create a model at ${base}: ${created.status} ${created.text}`);
  await server?.stop();
  process.exit(1);
}
state.target = created.json.model.id;

await measure('import: 1 MB of unknown names (24k transitions)', () => post('/api/models/import', unknownNames(24_000)));
await measure('import: 500 KB of unknown names (12k transitions)', () => post('/api/models/import', unknownNames(12_000)));
await measure('create: 500 KB of unknown names', () => post('/api/models', { document: unknownNames(12_000) }));
await measure('save: 500 KB of unknown names', () => post(`/api/models/${state.target}/versions`, { baseVersion: 1, document: unknownNames(12_000) }));
await measure('import: 2,500 near-miss names of 150 chars', () => post('/api/models/import', longNearMisses(2_500, 150)));
await measure('import: 200,000 resources of 0 (~400 KB, one issue each)', () => post('/api/models/import', { name: 'x', resources: Array(200_000).fill(0) }));
await measure('import: 1 MB deep JSON (500k nested arrays)', () => post('/api/models/import', '['.repeat(500_000) + ']'.repeat(500_000)));
await measure('import: 1,000 nested parentheses', () => post('/api/models/import', withInvariant(`${'('.repeat(1000)}true${')'.repeat(1000)}`)));
await measure('import: 100,000 nested parentheses', () => post('/api/models/import', withInvariant(`${'('.repeat(100_000)}true${')'.repeat(100_000)}`)));
await measure('import: 5,000-term && chain', () => post('/api/models/import', withInvariant(Array(5000).fill('true').join(' && '))));
await measure('import: 120,000-term && chain (~1 MB)', () => post('/api/models/import', withInvariant(Array(120_000).fill('true').join(' && '))));
await measure('import: 3,000 nested any', () => post('/api/models/import', withInvariant(nestedAny(3000))));
await measure('import: 40,000 nested any (~1 MB)', () => post('/api/models/import', withInvariant(nestedAny(40_000))));

// Runs: a model with 1,600 processes, then a valid trace of 96,000 moves claiming a violation it does not reach.
const bomb = await post('/api/models/import', replayBomb(1600, 60));
state.bomb = bomb.status === 201 ? bomb.json.model.id : null;
if (!state.bomb) log(`the replay bomb model was refused (${bomb.status}): ${bomb.text}`);
if (state.bomb) {
  const moves = bombMoves(1600, 60);
  await measure(`runs: ${moves.length} valid moves on 1,600 processes, wrong claim`, () => post(`/api/models/${state.bomb}/versions/1/runs`, bombRun(moves, { kind: 'deadlock', message: 'stuck' })));
  // The longest trace a run may have (10,000 moves): replayed in full before the claim is compared.
  const capped = moves.slice(0, 10_000);
  await measure(`runs: ${capped.length} valid moves on 1,600 processes, wrong claim`, () => post(`/api/models/${state.bomb}/versions/1/runs`, bombRun(capped, { kind: 'deadlock', message: 'stuck' })));
  await measure(`runs: ${capped.length} valid moves, claiming an invariant`, async () => {
    const r = await post(`/api/models/${state.bomb}/versions/1/runs`, bombRun(capped, { kind: 'invariant', message: 'x' }));
    if (r.status === 201) state.run = r.json.run.id;
    return r;
  });
}
// The largest trace the budget admits (process-moves, as the server counts them): 150 processes × 60 steps = 9,000 moves.
const bombSmall = await post('/api/models/import', replayBomb(150, 60));
if (bombSmall.status === 201) {
  const id = bombSmall.json.model.id;
  await measure('runs: 9,000 valid moves on 150 processes, wrong claim', () => post(`/api/models/${id}/versions/1/runs`, bombRun(bombMoves(150, 60), { kind: 'deadlock', message: 'stuck' })));
}
if (state.bomb) await measure('runs: 1,200 valid moves on 1,600 processes, wrong claim', () => post(`/api/models/${state.bomb}/versions/1/runs`, bombRun(bombMoves(1600, 60).slice(0, 1200), { kind: 'deadlock', message: 'stuck' })));
await measure('runs: 100,000 invalid moves', () => post(`/api/models/${state.target}/versions/1/runs`, bombRun(Array(100_000).fill(0), { kind: 'deadlock', message: 'x' })));

// Exports of the largest valid model.
const huge = await post('/api/models/import', hugeValidModel(6000));
state.huge = huge.status === 201 ? huge.json.model.id : null;
if (!state.huge) log(`the huge valid model was refused (${huge.status}): ${huge.text}`);
if (state.huge) {
  log(`huge valid model: ${huge.requestBytes} bytes`);
  await measure('export: JSON of a 6,000-state model', () => request('GET', `/api/models/${state.huge}/export`));
  await measure('export: generated code (zip) of a 6,000-state model', () => request('GET', `/api/models/${state.huge}/export/code`));
  await measure('export: diagram.md of a 6,000-state model', () => request('GET', `/api/models/${state.huge}/export/code/diagram.md`));
  await measure('save: the 6,000-state model as a new version', () => post(`/api/models/${state.huge}/versions`, { baseVersion: 1, document: hugeValidModel(6000) }));
  await measure('page: the 6,000-state model', () => request('GET', `/models/${state.huge}`));
}
await measure('list: every model', () => request('GET', '/api/models'));
if (state.run) {
  const share = await post('/api/share', { modelId: state.bomb, versionNumber: 1, runId: state.run });
  if (share.status === 201) {
    await measure('share: API view of the 96k-step run', () => request('GET', `/api/share/${share.json.id}`));
    await measure('share: page of the 96k-step run', () => request('GET', `/share/${share.json.id}`));
  }
}

const worst = (key) => results.filter((r) => r[key] != null).sort((a, b) => b[key] - a[key])[0];
console.log('\n──────── worst requests ────────');
console.log(['request'.padEnd(62), 'status', 'wall s', 'CPU s', 'peak MB', 'health ms'].join('  '));
for (const r of results) {
  if (r.error) console.log(`${r.name.padEnd(62)}  ${r.error}`);
  else console.log([r.name.padEnd(62), String(r.status).padStart(6), String(r.wallS).padStart(6), String(r.cpuS).padStart(5), String(r.peakRssMb).padStart(7), `${String(r.healthMaxMs).padStart(6)}${r.healthUnder1s ? '' : ' !'}`].join('  '));
}
const w = worst('cpuS');
const m = worst('peakRssMb');
if (w) console.log(`most CPU: ${w.name}: ${w.cpuS} CPU-s; most memory: ${m.name}: ${m.peakRssMb} MB peak RSS`);
console.log(`health stayed under 1 s: ${results.every((r) => r.healthUnder1s) ? 'yes' : `no (${results.filter((r) => !r.healthUnder1s).length} requests)`}; server alive at the end: ${alive()}`);
const out = flag('json') ?? path.join(ROOT, '.tmp', 'bench-worst', 'result.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ base, pid, at: new Date().toISOString(), results }, null, 2));
log(`results: ${out}`);
await server?.stop();
