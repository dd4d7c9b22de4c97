#!/usr/bin/env node
// Serves the app for `npm run test:e2e` on its own: a fresh SQLite database under .tmp/.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { generatePrismaClients, prepareDatabase, buildApp, BIN, ROOT } from './lib/steps.mjs';

const port = process.argv[2] ?? '3199';
const file = path.join(ROOT, '.tmp', 'e2e', 'app.db');
rmSync(path.dirname(file), { recursive: true, force: true });
const env = { DATABASE_URL: `file:${file}`, NEXT_TELEMETRY_DISABLED: '1' };
await generatePrismaClients();
await prepareDatabase(env);
await buildApp();
const child = spawn(path.join(BIN, 'next'), ['start', '-p', port, '-H', '127.0.0.1'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
