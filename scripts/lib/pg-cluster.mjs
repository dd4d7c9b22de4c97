// A throwaway PostgreSQL cluster on 127.0.0.1 for tests and benchmarks.
// initdb refuses to run as root, so as root every command runs as `postgres`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function findPgBin() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  return null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function run(cmd, args, what) {
  const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', cwd: os.tmpdir() });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  return r.stdout;
}

/** Starts a cluster; resolves to { url(db), port, dir, createDatabase(name), stop() }. */
export async function startCluster({ log = () => {} } = {}) {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-pg-'));
  chmodSync(dir, 0o777);
  if (asRoot) spawnSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], 'pg_ctl stop');
      } catch (e) {
        log(`postgres: ${e.message}`);
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], 'initdb');
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start'], 'pg_ctl start');
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  const urlFor = (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`;
  log(`postgres: throwaway cluster on 127.0.0.1:${port} (${dir})`);
  return {
    port,
    dir,
    url: urlFor('postgres'),
    urlFor,
    createDatabase(name) {
      run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`], `create database ${name}`);
      return urlFor(name);
    },
    stop,
  };
}
