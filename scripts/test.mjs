#!/usr/bin/env node
// `npm test`: everything, from a clean clone.
//   1. installs what is missing: npm packages, Debian's chromium and postgresql
//   2. generates the Prisma clients, checks the migrations match the schema
//   3. builds the app
//   4. starts a throwaway PostgreSQL cluster (127.0.0.1, free port)
//   5. serves the build twice with `next start` on free ports: SQLite and PostgreSQL
//   6. vitest: lib/**, bin/**, tests/** (unit, repository on both databases, API over HTTP),
//      then the hostile corpus alone (it measures the servers' responsiveness)
//   7. Playwright in Chromium against the SQLite server
// and always stops the servers and removes the cluster. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, generatePrismaClients, buildApp, prepareDatabase, startServer, run, log, ROOT, BIN } from './lib/steps.mjs';
import { startCluster, findPgBin, freePort } from './lib/pg-cluster.mjs';
import { readVitestReport, readPlaywrightReport, excerpt } from './lib/test-report.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
// One session-signing secret per run, shared by the servers it starts (never a hard-coded one).
process.env.BETTER_AUTH_SECRET ||= randomBytes(32).toString('base64url');
const started = Date.now();
const RUN_DIR = path.join(ROOT, '.tmp', 'test-run');
const HOSTILE_CORPUS = 'tests/hostile/corpus.test.ts';
const steps = [];
const cleanups = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
/** The failed tests, with the start of their error, printed in the summary (CI shows only the output's tail). */
const failures = [];
const readVitest = (file) => readVitestReport(file, counts, failures);
const readPlaywright = (file) => readPlaywrightReport(file, counts, failures);

async function step(name, fn, { optional = false } = {}) {
  const t0 = Date.now();
  log(`── ${name}`);
  try {
    const result = await fn();
    steps.push({ name, ok: true, ms: Date.now() - t0 });
    return result;
  } catch (error) {
    steps.push({ name, ok: false, ms: Date.now() - t0, error: error.message.split('\n')[0] });
    log(`FAILED: ${name}: ${error.message}`);
    if (!optional) throw error;
    return undefined;
  }
}

async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      log(`cleanup: ${error.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    log(`${signal}: cleaning up`);
    await cleanup();
    process.exit(130);
  });
}

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;
function aptInstall(packages) {
  if (!isRoot) throw new Error(`missing ${packages.join(', ')}; install with: sudo apt-get install -y ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env }).status === 0;
  if (install()) return;
  if (!aptUpdated) {
    log('apt-get install failed; refreshing the package lists (apt-get update) and retrying');
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    aptUpdated = true;
    if (install()) return;
  }
  throw new Error(`apt-get install ${packages.join(' ')} failed`);
}

let failed = false;
try {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });

  await step('dependencies (npm)', ensureDependencies);
  await step('system packages (chromium, postgresql, spin)', async () => {
    const missing = [];
    if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
    if (!findPgBin()) missing.push('postgresql');
    // Spin (and a C compiler for its pan verifiers): tests/liveness-spin cross-checks the liveness search.
    if (spawnSync('spin', ['-V'], { encoding: 'utf8' }).status !== 0) missing.push('spin');
    if (spawnSync('gcc', ['--version'], { encoding: 'utf8' }).status !== 0) missing.push('gcc');
    if (missing.length) {
      log(`installing Debian packages: ${missing.join(' ')}`);
      aptInstall(missing);
    } else log('chromium, postgresql and spin are installed');
  });
  await step('prisma clients', generatePrismaClients);
  await step('migrations match prisma/schema.prisma', () => run(process.execPath, [path.join(ROOT, 'scripts', 'prisma.mjs'), 'check']));
  await step('typecheck (tsc --noEmit)', () => run(path.join(BIN, 'tsc'), ['--noEmit', '-p', '.']), { optional: true });
  await step('build (next build)', () => buildApp());

  const cluster = await step('postgresql cluster', () => startCluster({ log }));
  cleanups.push(() => cluster.stop());

  const servers = await step('servers (next start on SQLite and PostgreSQL)', async () => {
    const sqliteUrl = `file:${path.join(RUN_DIR, 'app.db')}`;
    const pgUrl = cluster.createDatabase('lockstep_app');
    await prepareDatabase({ DATABASE_URL: sqliteUrl });
    await prepareDatabase({ DATABASE_URL: pgUrl });
    const sqlite = await startServer({ port: await freePort(), env: { DATABASE_URL: sqliteUrl }, logFile: path.join(RUN_DIR, 'server-sqlite.log') });
    cleanups.push(() => sqlite.stop());
    const postgres = await startServer({ port: await freePort(), env: { DATABASE_URL: pgUrl }, logFile: path.join(RUN_DIR, 'server-postgresql.log') });
    cleanups.push(() => postgres.stop());
    log(`servers: ${sqlite.url} (SQLite), ${postgres.url} (PostgreSQL)`);
    return { sqlite, postgres };
  });

  const testEnv = {
    LOCKSTEP_TEST_PG_URL: cluster.url,
    LOCKSTEP_REQUIRE_PG: '1',
    LOCKSTEP_TEST_BASE_URLS: `${servers.sqlite.url},${servers.postgres.url}`,
    LOCKSTEP_REQUIRE_SERVER: '1',
  };
  const vitestJson = path.join(RUN_DIR, 'vitest.json');
  await step(
    'vitest (lib, bin, tests)',
    () => run(path.join(BIN, 'vitest'), ['run', '--exclude', HOSTILE_CORPUS, '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { env: testEnv }),
    { optional: true },
  );
  readVitest(vitestJson);

  // Alone, after the rest: it asserts /api/health stays under 1 s while the
  // corpus is posted, which measures the server, not the other test files.
  const corpusJson = path.join(RUN_DIR, 'vitest-hostile.json');
  await step(
    'vitest: hostile corpus against both servers',
    () => run(path.join(BIN, 'vitest'), ['run', HOSTILE_CORPUS, '--reporter=default', '--reporter=json', `--outputFile.json=${corpusJson}`], { env: testEnv }),
    { optional: true },
  );
  readVitest(corpusJson);

  const pwJson = path.join(RUN_DIR, 'playwright.json');
  await step(
    'playwright (chromium)',
    () => run(path.join(BIN, 'playwright'), ['test'], { env: { ...testEnv, LOCKSTEP_E2E_BASE_URL: servers.sqlite.url, LOCKSTEP_PW_JSON: pwJson } }),
    { optional: true },
  );
  readPlaywright(pwJson);
} catch {
  // already recorded by step()
} finally {
  await cleanup();
}

failed = steps.some((s) => !s.ok);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log('\n──────── npm test summary ────────');
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(46)} ${secs(s.ms).padStart(8)}${s.ok ? '' : `  ${s.error}`}`);
for (const f of failures.slice(0, 6)) console.log(`  failed: ${f.where}\n${excerpt(f.error)}`);
if (failures.length > 6) console.log(`  … and ${failures.length - 6} more failed tests (listed above)`);
console.log(`total ${secs(Date.now() - started)}; tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
console.log(failed ? 'RESULT: FAILED' : 'RESULT: all passed');
console.log(`${counts.passed} passed, ${counts.failed + (failed && counts.failed === 0 ? 1 : 0)} failed`);
process.exit(failed ? 1 : 0);
