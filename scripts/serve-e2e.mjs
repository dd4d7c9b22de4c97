#!/usr/bin/env node
// Serves the app for `npm run test:e2e` on its own: a fresh SQLite database under .tmp/.
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { generatePrismaClients, prepareDatabase, buildApp, BIN, ROOT } from './lib/steps.mjs';

const port = process.argv[2] ?? '3199';
const file = path.join(ROOT, '.tmp', 'e2e', 'app.db');
rmSync(path.dirname(file), { recursive: true, force: true });
// LOCKSTEP_ORIGIN: the server answers only at the URL Playwright opens (playwright.config.ts).
const env = {
  DATABASE_URL: `file:${file}`,
  NEXT_TELEMETRY_DISABLED: '1',
  LOCKSTEP_ORIGIN: `http://127.0.0.1:${port}`,
  // A fresh session-signing secret per run.
  BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET || randomBytes(32).toString('base64url'),
};
await generatePrismaClients();
await prepareDatabase(env);
await buildApp();
const child = spawn(path.join(BIN, 'next'), ['start', '-p', port, '-H', '127.0.0.1'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
