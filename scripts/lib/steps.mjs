// Steps shared by `npm start` (scripts/start.mjs), `npm test` (scripts/test.mjs) and the API bench.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './schema.mjs';

export { ROOT };
export const BIN = path.join(ROOT, 'node_modules', '.bin');

export function log(line) {
  process.stdout.write(`[lockstep] ${line}\n`);
}

/** Runs a command with inherited output; throws on a non-zero exit. */
export function run(cmd, args, { env = {}, cwd = ROOT, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}${quiet ? `\n${output.slice(-4000)}` : ''}`), { output }));
    });
  });
}

/**
 * Which packages of package-lock.json are missing from node_modules or have
 * another version there (optional packages for other platforms are ignored).
 */
export function staleDependencies() {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const stale = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || entry.link) continue;
    const manifest = path.join(ROOT, key, 'package.json');
    if (!existsSync(manifest)) {
      if (!entry.optional && !entry.devOptional) stale.push(key);
      continue;
    }
    try {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (entry.version && version !== entry.version) stale.push(key);
    } catch {
      stale.push(key);
    }
  }
  return stale;
}

export async function ensureDependencies() {
  const hasModules = existsSync(path.join(ROOT, 'node_modules'));
  const stale = hasModules ? staleDependencies() : ['node_modules'];
  if (stale.length) {
    log(hasModules ? `dependencies out of date (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): npm ci` : 'installing dependencies: npm ci');
    await run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (!existsSync(path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))) {
    log('building better-sqlite3 (native)');
    await run('npm', ['rebuild', 'better-sqlite3']);
  }
}

export async function generatePrismaClients() {
  await run(process.execPath, [path.join(ROOT, 'scripts', 'prisma.mjs'), 'generate']);
}

/** Applies migrations and seeds the examples into an empty database (DATABASE_URL decides which). */
export async function prepareDatabase(env = {}) {
  await run(path.join(BIN, 'tsx'), [path.join(ROOT, 'scripts', 'prepare-db.ts')], { env });
}

const BUILD_INPUTS = ['app', 'components', 'lib', 'prisma', 'proxy.ts', 'instrumentation.ts', 'next.config.ts', 'package-lock.json', 'tsconfig.json'];

/** A fingerprint of everything the Next build reads, so an unchanged tree is not rebuilt. */
function buildFingerprint() {
  const hash = createHash('sha256');
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (name !== 'node_modules' && !name.startsWith('.')) walk(path.join(p, name));
    } else if (/\.(tsx?|mjs|css|json|prisma|sql)$/.test(p)) {
      hash.update(p).update(readFileSync(p));
    }
  };
  for (const input of BUILD_INPUTS) walk(path.join(ROOT, input));
  return hash.digest('hex');
}

export async function buildApp({ force = false } = {}) {
  const distDir = path.join(ROOT, process.env.LOCKSTEP_DIST_DIR || '.next');
  const stampFile = path.join(distDir, 'lockstep-build-stamp');
  const fingerprint = buildFingerprint();
  if (!force && existsSync(path.join(distDir, 'BUILD_ID')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint) {
    log('app build is up to date');
    return;
  }
  log('building the app: next build');
  await run(path.join(BIN, 'next'), ['build'], { env: { NEXT_TELEMETRY_DISABLED: '1' } });
  writeFileSync(stampFile, fingerprint);
}

/**
 * Starts `next start`; resolves once /api/health answers. The server answers
 * only at its own URL (LOCKSTEP_ORIGIN: the Host and Origin proxy.ts accepts)
 * unless `env` names another origin.
 */
export async function startServer({ port, env = {}, hostname = '127.0.0.1', logFile } = {}) {
  const child = spawn(path.join(BIN, 'next'), ['start', '-p', String(port), '-H', hostname], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LOCKSTEP_ORIGIN: `http://${hostname}:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let output = '';
  const collect = (d) => {
    output += d;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://${hostname}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`next start did not answer within 60 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          if (logFile) writeFileSync(logFile, output);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
