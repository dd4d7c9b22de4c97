#!/usr/bin/env node
// `npm run bench:api`: latency of the models API (save a new version, get a
// model) with 20 concurrent clients, against `next start` on SQLite and on
// PostgreSQL (a throwaway cluster). Loopback only; bounded loops.
//
//   npm run bench:api [-- --clients 20 --iterations 100]
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { ensureDependencies, generatePrismaClients, buildApp, prepareDatabase, startServer, log, ROOT } from '../scripts/lib/steps.mjs';
import { startCluster, freePort } from '../scripts/lib/pg-cluster.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg('clients', 20);
const ITERATIONS = arg('iterations', 100); // per client, per operation
const WARMUP = 10;
const TIME_CAP_MS = 120_000; // per database: stop early rather than run away

const doc = (name) => ({
  name,
  description: 'bench model',
  resources: [
    {
      name: 'Share',
      states: [
        { name: 'available', kind: 'stable' },
        { name: 'deleting', kind: 'transitional' },
        { name: 'deleted', kind: 'terminal' },
      ],
      initial: 'available',
      transitions: [
        { from: 'available', to: 'deleting' },
        { from: 'deleting', to: 'deleted' },
      ],
    },
  ],
});

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function benchServer(base) {
  const ids = [];
  for (let c = 0; c < CLIENTS; c++) {
    const r = await fetch(`${base}/api/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document: doc(`bench ${c}`) }) });
    if (r.status !== 201) throw new Error(`create failed: ${r.status}`);
    ids.push((await r.json()).model.id);
  }
  const save = [];
  const get = [];
  let errors = 0;
  const deadline = Date.now() + TIME_CAP_MS;
  const started = performance.now();
  await Promise.all(
    ids.map(async (id, c) => {
      let head = 1;
      for (let i = 0; i < WARMUP + ITERATIONS && Date.now() < deadline; i++) {
        const measure = i >= WARMUP;
        const g = await timed(async () => {
          const r = await fetch(`${base}/api/models/${id}`);
          if (r.status !== 200) errors++;
          head = (await r.json()).model?.headNumber ?? head;
        });
        const s = await timed(async () => {
          const r = await fetch(`${base}/api/models/${id}/versions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ baseVersion: head, document: doc(`bench ${c} #${i}`), author: `client ${c}` }),
          });
          if (r.status !== 201) errors++;
          await r.arrayBuffer();
        });
        if (measure) {
          get.push(g);
          save.push(s);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
  };
  return { save: stats(save), get: stats(get), errors, requestsPerSecond: (2 * CLIENTS * (WARMUP + ITERATIONS)) / seconds };
}

const dir = path.join(os.tmpdir(), `lockstep-bench-${process.pid}`);
let cluster;
const servers = [];
const results = {};
try {
  await ensureDependencies();
  await generatePrismaClients();
  await buildApp();
  mkdirSync(dir, { recursive: true });
  cluster = await startCluster({ log });
  const targets = [
    ['SQLite', `file:${path.join(dir, 'bench.db')}`],
    ['PostgreSQL', cluster.createDatabase('lockstep_bench')],
  ];
  for (const [label, url] of targets) {
    await prepareDatabase({ DATABASE_URL: url });
    const server = await startServer({ port: await freePort(), env: { DATABASE_URL: url } });
    servers.push(server);
    log(`${label}: ${CLIENTS} clients × ${ITERATIONS} (get, save) pairs against ${server.url}`);
    results[label] = await benchServer(server.url);
    await server.stop();
  }
} finally {
  for (const s of servers) await s.stop();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`\nmodels API latency, ${CLIENTS} concurrent clients, ${ITERATIONS} measured requests per client and operation (${os.cpus().length} cores)\n`);
console.log('| database | operation | requests | p50 | p99 | mean |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [label, r] of Object.entries(results)) {
  for (const op of ['save', 'get']) console.log(`| ${label} | ${op} | ${r[op].n} | ${ms(r[op].p50)} | ${ms(r[op].p99)} | ${ms(r[op].mean)} |`);
}
for (const [label, r] of Object.entries(results)) console.log(`${label}: ${r.requestsPerSecond.toFixed(0)} requests/s overall, ${r.errors} unexpected statuses`);
if (Object.values(results).some((r) => r.errors > 0)) process.exit(1);
