#!/usr/bin/env node
// `npm start`: install what is missing, generate the Prisma clients, migrate
// and seed the database, build, and serve on http://localhost:3000 (PORT).
import { ensureDependencies, generatePrismaClients, prepareDatabase, buildApp, log, BIN, ROOT } from './lib/steps.mjs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** Fails fast (before installing and building) when something already listens on the port. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(Number(port), () => srv.close(() => resolve(true)));
  });
}

process.env.NEXT_TELEMETRY_DISABLED = '1';
const port = process.env.PORT || '3000';
// The app answers only requests naming this origin's host and accepts writes
// only from its pages (proxy.ts); by default the URL printed below.
process.env.LOCKSTEP_ORIGIN ||= `http://localhost:${port}`;
try {
  const url = new URL(process.env.LOCKSTEP_ORIGIN);
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search) throw new Error();
} catch {
  console.error(`[lockstep] LOCKSTEP_ORIGIN=${process.env.LOCKSTEP_ORIGIN} is not an origin; set it to the URL users type, e.g. https://lockstep.example.com`);
  process.exit(1);
}

if (!(await portIsFree(port))) {
  console.error(`[lockstep] port ${port} is already in use (another Lockstep?); stop it or run PORT=3001 npm start`);
  process.exit(1);
}

try {
  await ensureDependencies();
  await generatePrismaClients();
  await prepareDatabase();
  await buildApp();
} catch (error) {
  console.error(`[lockstep] start failed: ${error.message}`);
  process.exit(1);
}

log(`serving on port ${port}: open ${process.env.LOCKSTEP_ORIGIN}`);
const args = ['start', '-p', port];
if (process.env.HOSTNAME_BIND) args.push('-H', process.env.HOSTNAME_BIND);
const child = spawn(path.join(BIN, 'next'), args, { cwd: ROOT, stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
