#!/usr/bin/env node
// Runs a command beside a throwaway PostgreSQL cluster, e.g.
//   node scripts/with-pg.mjs npx vitest run tests/db
// The command gets LOCKSTEP_TEST_PG_URL (admin URL); the cluster is removed afterwards.
import { spawn } from 'node:child_process';
import { startCluster } from './lib/pg-cluster.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-pg.mjs COMMAND [ARGS…]');
  process.exit(2);
}
const cluster = await startCluster({ log: (l) => console.error(`[lockstep] ${l}`) });
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, LOCKSTEP_TEST_PG_URL: cluster.url, LOCKSTEP_REQUIRE_PG: '1' } });
const stop = () => cluster.stop();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  stop();
  process.exit(code ?? 1);
});
