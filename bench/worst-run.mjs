#!/usr/bin/env node
/**
 * The most expensive check run a client can post, and what it costs the
 * server: CPU-seconds and peak RSS of next-server around each request.
 *
 *   node bench/worst-run.mjs --base http://127.0.0.1:3303 [--pid PID]
 *
 * The attack (issue 9): a model with P processes on P instances whose one
 * operation makes K external calls, and a "violation" whose trace walks
 * every process through every step — P×(K+1)+1 moves, all enabled, ending in
 * a real invariant violation. With P=1000, K=80 the model is ~90 KB and the
 * run ~620 KB (81,001 moves): before, the server built a full state view per
 * step (2,000 objects each) and stored them all. Now it is refused (413) as
 * longer than any trace a check can produce; the largest run that is
 * accepted (10,000 moves) and its share page are measured too, and a forged
 * PASS on a model whose state space is far beyond the verification budget.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** A model whose scenario `attack` has `processes` workers, each making `calls` calls on its own item. */
export function attackDocument(processes, calls) {
  const instances = Array.from({ length: processes }, (_, p) => ({ name: `i${p}`, type: 'Item', state: 'idle' }));
  return {
    name: `worst run ${processes}x${calls}`,
    resources: [
      {
        name: 'Item',
        states: [
          { name: 'idle', kind: 'stable' },
          { name: 'busy', kind: 'transitional' },
          { name: 'done', kind: 'terminal' },
        ],
        initial: 'idle',
        transitions: [
          { from: 'idle', to: 'busy' },
          { from: 'busy', to: 'done' },
        ],
      },
    ],
    locks: [],
    operations: [
      {
        name: 'work',
        params: [{ name: 'item', type: 'Item' }],
        steps: [
          { kind: 'write', target: 'item.state', value: '"busy"' },
          ...Array.from({ length: calls }, () => ({ kind: 'call', name: 'svc.step' })),
          { kind: 'write', target: 'item.state', value: '"done"' },
        ],
      },
    ],
    invariants: [{ name: 'none-done', expr: 'all(n: Item, n.state != "done")' }],
    scenarios: [
      {
        name: 'attack',
        instances,
        processes: instances.map((inst, p) => ({ name: `w${p}`, operation: 'work', args: { item: inst.name } })),
      },
    ],
  };
}

/** Every worker through its write and calls, round-robin, then one finishes: the invariant breaks on the last move. */
export function attackMoves(processes, calls) {
  const moves = [];
  for (let k = 0; k <= calls; k++) for (let p = 0; p < processes; p++) moves.push(p << 12);
  moves.push(0);
  return moves;
}

export function attackRun(processes, calls) {
  return {
    scenario: 'attack',
    mode: 'exhaustive',
    // Calls touch no shared state: unmerged, each one is a move of its own.
    options: { symmetry: true, mergeLocalSteps: false },
    verdict: 'violation',
    violation: { kind: 'invariant', name: 'none-done', message: 'invariant none-done is broken' },
    stats: { distinctStates: 1, transitions: 1, depth: 1, queue: 0, elapsedMs: 1, statesPerSecond: 1 },
    moves: attackMoves(processes, calls),
  };
}

// ---- measuring next-server -------------------------------------------------

const TICKS = 100; // USER_HZ on Linux

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}
function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The pid listening on the base URL's port (next-server). */
function serverPid(base) {
  const port = new URL(base).port;
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process listens on port ${port}; pass --pid`);
  return Number(m[1]);
}

async function measure(pid, label, fn) {
  const cpu0 = cpuSeconds(pid);
  const rss0 = rssMb(pid);
  let peak = rss0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {}
  }, 20);
  const t0 = performance.now();
  let result;
  try {
    result = await fn();
  } catch (error) {
    result = { status: 'error', note: error.message };
  }
  clearInterval(sampler);
  let alive = true;
  try {
    peak = Math.max(peak, rssMb(pid));
  } catch {
    alive = false;
  }
  const row = {
    request: label,
    status: result.status,
    wallS: +((performance.now() - t0) / 1000).toFixed(2),
    cpuS: alive ? +(cpuSeconds(pid) - cpu0).toFixed(2) : NaN,
    rssBeforeMb: Math.round(rss0),
    peakRssMb: Math.round(peak),
    serverAlive: alive,
    note: result.note ?? '',
  };
  console.log(JSON.stringify(row));
  return { row, result };
}

/** Session headers: the first-run administrator is created, else signed in (as tests/helpers/api-session.ts does). */
let session = {};
async function signIn(base) {
  const admin = { name: 'Test Admin', email: process.env.LOCKSTEP_BENCH_EMAIL ?? 'admin@lockstep.test', password: process.env.LOCKSTEP_BENCH_PASSWORD ?? 'test-admin-password-1' };
  const send = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body), redirect: 'manual' });
  let r = await send('/api/setup', { ...admin, workspace: 'Bench workspace' });
  if (r.status === 404) r = await send('/api/auth/sign-in/email', { email: admin.email, password: admin.password });
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  session = cookie ? { cookie, origin: base } : { origin: base };
}

async function get(base, url) {
  return fetch(base + url, { headers: session });
}

async function post(base, url, body) {
  const text = JSON.stringify(body);
  const r = await fetch(base + url, { method: 'POST', headers: { 'content-type': 'application/json', ...session }, body: text });
  const json = await r.json().catch(() => ({}));
  return { status: r.status, json, bytes: text.length };
}

/** Polls a run until its verification settles. */
async function settle(base, url) {
  for (let i = 0; i < 1200; i++) {
    const r = await (await get(base, url)).json();
    if (r.run.verification.status !== 'reported') return { status: r.run.verification.status, note: r.run.verification.reason };
    await new Promise((res) => setTimeout(res, 100));
  }
  return { status: 'still reported after 120 s' };
}

async function main() {
  const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
  const base = args.base ?? 'http://127.0.0.1:3303';
  const pid = args.pid ? Number(args.pid) : serverPid(base);
  const P = Number(args.processes ?? 1000);
  const K = Number(args.calls ?? 80);
  const rows = [];
  await signIn(base);

  // 1. The attack: ~150 KB model, ~600 KB run.
  const doc = attackDocument(P, K);
  const created = await post(base, '/api/models', { document: doc });
  if (created.status !== 201) throw new Error(`could not create the attack model: ${created.status} ${JSON.stringify(created.json).slice(0, 300)}`);
  const id = created.json.model.id;
  const run = attackRun(P, K);
  console.error(`model ${Math.round(created.bytes / 1024)} KB, run ${Math.round(JSON.stringify(run).length / 1024)} KB (${run.moves.length} moves)`);
  rows.push(
    (
      await measure(pid, `attack run: ${run.moves.length} moves, ${P} processes`, async () => {
        const r = await post(base, `/api/models/${id}/versions/1/runs`, run);
        return { status: r.status, note: r.json.error ?? '' };
      })
    ).row,
  );

  // 2. The largest run the server accepts: 10,000 moves on a model with as many processes as fit.
  const P2 = 100;
  const K2 = Math.floor((10_000 - 1) / P2) - 1;
  const doc2 = attackDocument(P2, K2);
  const id2 = (await post(base, '/api/models', { document: doc2 })).json.model.id;
  const run2 = attackRun(P2, K2);
  const stored = await measure(pid, `largest accepted run: ${run2.moves.length} moves, ${P2} processes`, async () => {
    const r = await post(base, `/api/models/${id2}/versions/1/runs`, run2);
    return { status: r.status, note: r.json.error ?? `run ${r.json.run?.id}`, runId: r.json.run?.id };
  });
  rows.push(stored.row);
  if (stored.result.runId) {
    // Its verification job (a replay of the 9,901 moves) runs in the background at once: measured until settled first,
    // so that the page figures below are the pages' own.
    rows.push(
      (
        await measure(pid, 'its verification job (background)', async () => {
          for (let i = 0; i < 600; i++) {
            const r = await (await get(base, `/api/models/${id2}/versions/1/runs/${stored.result.runId}`)).json();
            if (r.run.verification.status !== 'reported') return { status: r.run.verification.status, note: r.run.verification.reason };
            await new Promise((res) => setTimeout(res, 100));
          }
          return { status: 'still reported after 60 s' };
        })
      ).row,
    );
    const link = await post(base, '/api/share', { modelId: id2, versionNumber: 1, runId: stored.result.runId });
    const sid = link.json.id;
    rows.push((await measure(pid, 'its share page (last page of states)', async () => ({ status: (await fetch(`${base}/share/${sid}`)).status }))).row);
    rows.push((await measure(pid, 'its share API (moves only)', async () => ({ status: (await fetch(`${base}/api/share/${sid}`)).status }))).row);
    rows.push((await measure(pid, 'a page of 50 steps with states (from=5000)', async () => ({ status: (await fetch(`${base}/api/share/${sid}/steps?from=5000&count=50`)).status }))).row);
  }

  // 2b. The widest accepted run: 999 processes on 999 instances, 1,000 moves (the replay-units cap), its share page and a page of states.
  const id4 = (await post(base, '/api/models', { document: attackDocument(999, 0) })).json.model.id;
  const wide = await measure(pid, 'widest accepted run: 1,000 moves, 999 processes', async () => {
    const r = await post(base, `/api/models/${id4}/versions/1/runs`, attackRun(999, 0));
    return { status: r.status, note: r.json.error ?? '', runId: r.json.run?.id };
  });
  rows.push(wide.row);
  if (wide.result.runId) {
    rows.push((await measure(pid, 'its verification job (background)', async () => settle(base, `/api/models/${id4}/versions/1/runs/${wide.result.runId}`))).row);
    const sid = (await post(base, '/api/share', { modelId: id4, versionNumber: 1, runId: wide.result.runId })).json.id;
    rows.push((await measure(pid, 'its share page (a page of 12 steps × 1,998 processes and instances)', async () => ({ status: (await fetch(`${base}/share/${sid}`)).status }))).row);
    rows.push((await measure(pid, 'a page of 50 steps with states (from=500)', async () => ({ status: (await fetch(`${base}/api/share/${sid}/steps?from=500`)).status }))).row);
  }

  // 3. A forged PASS whose check is far beyond the budget: the background job stops at the budget.
  // No invariant: nothing breaks, so only exploring every interleaving (6^12 states) could confirm the PASS.
  const doc3 = { ...attackDocument(12, 3), invariants: [] };
  const id3 = (await post(base, '/api/models', { document: doc3 })).json.model.id;
  const forged = { ...attackRun(12, 3), verdict: 'pass', violation: null, moves: [] };
  const posted = await post(base, `/api/models/${id3}/versions/1/runs`, forged);
  rows.push(
    (
      await measure(pid, 'forged PASS on a 12-worker model (6^12 states): verification job', async () => {
        for (let i = 0; i < 1200; i++) {
          const r = await (await get(base, `/api/models/${id3}/versions/1/runs/${posted.json.run.id}`)).json();
          if (r.run.verification.status !== 'reported') return { status: r.run.verification.status, note: r.run.verification.reason };
          await new Promise((res) => setTimeout(res, 200));
        }
        return { status: 'still reported after 240 s' };
      })
    ).row,
  );

  if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
