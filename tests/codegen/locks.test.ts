/**
 * Generated locks.ts at run time: withLocks takes locks in one global order and
 * releases them on every exit; the in-process provider excludes within a
 * process; PostgreSQL advisory locks exclude across sessions and are released
 * when the holder's session dies. An acquire with a timeout gives up (LockTimeoutError) while
 * another holds the lock and takes it when it is free, on both providers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { analyzeModel } from '@/lib/model';
import { generate } from '@/lib/codegen';
import type * as Runtime from '@/lib/codegen/runtime/locks';
import type * as InProcess from '@/lib/codegen/runtime/in-process-locks';
import type * as Advisory from '@/lib/codegen/runtime/pg-advisory-locks';
import { freshConfig, PG_ADMIN_URL, REQUIRE_PG } from '../helpers/db';
import { filesOf, tempProject, withRuntime } from './helpers';

/** The generated locks.ts with the providers written beside it. */
type Locks = typeof Runtime & typeof InProcess & typeof Advisory & Record<string, Runtime.LockDescriptor>;

/** Resolves with the error a promise rejects with, and how long that took (ms). */
async function rejection(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  const error = await p.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - start };
}

const model = {
  name: 'locks',
  resources: [{ name: 'Dir', states: [{ name: 'ready', kind: 'stable' }], initial: 'ready', transitions: [] }],
  locks: [
    { name: 'cache-lock', backend: 'threading' },
    { name: 'dir-lock', key: 'Dir', backend: 'threading' },
    { name: 'db-lock', key: 'Dir', backend: 'postgres-advisory' },
  ],
};

let locks: Locks;
let project: { dir: string; remove(): void };

beforeAll(async () => {
  const analyzed = analyzeModel(model);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  project = tempProject('locks', withRuntime(filesOf(generate(analyzed.value, { version: 1 })), 'locks.ts'));
  const load = (file: string) => import(pathToFileURL(path.join(project.dir, file)).href);
  const modules = ['locks.ts', 'lockstep-runtime/in-process-locks.ts', 'lockstep-runtime/pg-advisory-locks.ts'];
  locks = Object.assign({}, ...(await Promise.all(modules.map(load)))) as Locks;
});
afterAll(() => project?.remove());

/** A provider that records acquire/release order and can be told to fail. */
function recorder(log: string[], failOn?: string): Runtime.LockProvider<'cluster'> {
  return {
    scope: 'cluster',
    fencing: false,
    async acquire(name, key) {
      if (`${name}(${key})` === failOn) throw new Error(`cannot take ${name}(${key})`);
      log.push(`+${name}(${key})`);
      return { token: null, release: async () => void log.push(`-${name}(${key})`) };
    },
    async tryAcquire() {
      return null;
    },
  };
}

describe('withLocks', () => {
  it('descriptors carry the policy and a global order', () => {
    expect(locks.cacheLock).toEqual({ name: 'cache-lock', key: null, scope: 'process', onCrash: 'released', leaseCanExpire: false, fencing: false, backend: 'threading', order: 0 });
    expect(locks.dbLock).toMatchObject({ name: 'db-lock', key: 'Dir', scope: 'cluster', order: 2 });
  });

  it('acquires in the global order whatever the request order, releases in reverse', async () => {
    const log: string[] = [];
    const p = recorder(log);
    const result = await locks.withLocks(
      [locks.using(locks.dirLock, 'b', p), locks.using(locks.dirLock, 'a', p), locks.using(locks.cacheLock, null, p)],
      async () => (log.push('body'), 42),
    );
    expect(result).toBe(42);
    expect(log).toEqual(['+cache-lock()', '+dir-lock(a)', '+dir-lock(b)', 'body', '-dir-lock(b)', '-dir-lock(a)', '-cache-lock()']);
  });

  it('releases on a throw in the body and when an acquire fails half-way', async () => {
    const log: string[] = [];
    await expect(locks.withLocks([locks.using(locks.dirLock, 'a', recorder(log))], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(log).toEqual(['+dir-lock(a)', '-dir-lock(a)']);
    const log2: string[] = [];
    const p = recorder(log2, 'dir-lock(b)');
    await expect(locks.withLocks([locks.using(locks.dirLock, 'a', p), locks.using(locks.dirLock, 'b', p)], async () => 1)).rejects.toThrow('cannot take dir-lock(b)');
    expect(log2).toEqual(['+dir-lock(a)', '-dir-lock(a)']);
  });

  it('refuses a keyed lock without an instance, and the same lock twice', async () => {
    const p = recorder([]);
    expect(() => locks.using(locks.dirLock, null, p)).toThrow(/keyed by Dir/);
    await expect(locks.withLocks([locks.using(locks.dirLock, 'a', p), locks.using(locks.dirLock, 'a', p)], async () => 1)).rejects.toThrow(/requested twice/);
  });

  it('opposite request orders do not deadlock (in-process provider)', async () => {
    const p = locks.inProcessLocks();
    const inside: string[] = [];
    const task = (keys: string[], tag: string) =>
      locks.withLocks(keys.map((k) => locks.using(locks.dirLock, k, p)), async () => {
        inside.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, 5));
        inside.push(`${tag}-`);
      });
    await Promise.all([task(['x', 'y'], 'A'), task(['y', 'x'], 'B'), task(['x', 'y'], 'C')]);
    // Never two holders at once: entries and exits alternate.
    expect(inside.filter((_, i) => i % 2 === 0).every((e) => e.endsWith('+'))).toBe(true);
    expect(inside).toHaveLength(6);
  });
});

describe('in-process provider', () => {
  it('excludes writers, admits readers together, and issues increasing fencing tokens', async () => {
    const p = locks.inProcessLocks();
    const a = await p.acquire('l', 'k', { shared: false });
    expect(await p.tryAcquire('l', 'k', { shared: false })).toBeNull();
    expect(await p.tryAcquire('l', 'k', { shared: true })).toBeNull();
    let waited = false;
    const b = p.acquire('l', 'k', { shared: false }).then((h) => ((waited = true), h));
    await new Promise((r) => setTimeout(r, 10));
    expect(waited).toBe(false);
    await a.release();
    const bh = await b;
    expect(bh.token!).toBeGreaterThan(a.token!);
    await bh.release();
    const r1 = await p.acquire('l', 'k', { shared: true });
    const r2 = await p.tryAcquire('l', 'k', { shared: true });
    expect(r2).not.toBeNull();
    expect(await p.tryAcquire('l', 'k', { shared: false })).toBeNull();
    await r1.release();
    await r2!.release();
    expect(await p.tryAcquire('l', 'k', { shared: false })).not.toBeNull();
  });
});

describe('acquire with a timeout (in-process provider)', () => {
  it('gives up while another holds the lock, naming it, and leaves the queue', async () => {
    const p = locks.inProcessLocks();
    const held = await p.acquire('dir-lock', 'd1', { shared: false });
    const { error, ms } = await rejection(p.acquire('dir-lock', 'd1', { shared: false, timeout: 0.15 }));
    expect(error).toBeInstanceOf(locks.LockTimeoutError);
    expect(error).toMatchObject({ name: 'LockTimeoutError', lock: 'dir-lock', key: 'd1', timeout: 0.15 });
    expect(ms).toBeGreaterThanOrEqual(140);
    await held.release();
    // The waiter that gave up is gone: the lock is free at once for the next one.
    const next = await p.tryAcquire('dir-lock', 'd1', { shared: false });
    expect(next).not.toBeNull();
    await next!.release();
  });

  it('takes a free lock at once, and a lock released before the timeout', async () => {
    const p = locks.inProcessLocks();
    const free = await p.acquire('dir-lock', 'd1', { shared: false, timeout: 0.05 });
    setTimeout(() => void free.release(), 20);
    const later = await p.acquire('dir-lock', 'd1', { shared: false, timeout: 1 });
    expect(later.token!).toBeGreaterThan(free.token!);
    await later.release();
  });

  it('a writer that times out no longer holds back the readers queued behind it', async () => {
    const p = locks.inProcessLocks();
    const reader = await p.acquire('dir-lock', 'd1', { shared: true });
    const writer = rejection(p.acquire('dir-lock', 'd1', { shared: false, timeout: 0.05 }));
    const reader2 = p.acquire('dir-lock', 'd1', { shared: true });
    expect((await writer).error).toBeInstanceOf(locks.LockTimeoutError);
    await (await reader2).release();
    await reader.release();
  });

  it('withLocks: a timed-out request releases the locks already taken and rejects with LockTimeoutError', async () => {
    const p = locks.inProcessLocks();
    const other = await p.acquire('dir-lock', 'b', { shared: false });
    let ran = false;
    const { error } = await rejection(
      locks.withLocks([locks.using(locks.dirLock, 'a', p), locks.using(locks.dirLock, 'b', p, { timeout: 0.05 })], async () => {
        ran = true;
      }),
    );
    expect(error).toMatchObject({ name: 'LockTimeoutError', lock: 'dir-lock', key: 'b' });
    expect(ran).toBe(false);
    expect(await p.tryAcquire('dir-lock', 'a', { shared: false })).not.toBeNull();
    await other.release();
    expect(() => locks.using(locks.dirLock, 'a', p, { timeout: 0 })).toThrow(/seconds above 0/);
  });
});

describe.skipIf(!PG_ADMIN_URL && !REQUIRE_PG)('PostgreSQL advisory provider', () => {
  let url: string;
  let drop: () => Promise<void>;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    const fresh = await freshConfig('postgresql');
    url = fresh.config.url;
    drop = fresh.drop;
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await drop?.();
  });
  const pool = () => {
    const p = new pg.Pool({ connectionString: url, max: 4 });
    p.on('error', () => {}); // a terminated session's idle client
    pools.push(p);
    return p;
  };

  it('excludes across sessions, and a crashed holder (its session gone) releases at once', async () => {
    const nodeA = locks.pgAdvisoryLocks(pool());
    const nodeB = locks.pgAdvisoryLocks(pool());
    const held = await nodeA.acquire('db-lock', 'dir-1', { shared: false });
    expect(await nodeB.tryAcquire('db-lock', 'dir-1', { shared: false })).toBeNull();
    const other = await nodeB.tryAcquire('db-lock', 'dir-2', { shared: false });
    expect(other).not.toBeNull();
    await other!.release();
    await held.release();
    const again = await nodeB.tryAcquire('db-lock', 'dir-1', { shared: false });
    expect(again).not.toBeNull();

    // The holder "crashes": its backend is terminated. The lock goes with the session.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()");
    await admin.end();
    const after = await nodeA.acquire('db-lock', 'dir-1', { shared: false });
    await after.release();
    await again!.release().catch(() => undefined); // its session is gone
  });

  it('a timeout (lock_timeout) gives up while another session holds the lock, and succeeds when it is free', async () => {
    const nodeA = locks.pgAdvisoryLocks(pool());
    const bPool = pool();
    const nodeB = locks.pgAdvisoryLocks(bPool);
    const held = await nodeA.acquire('db-lock', 'dir-9', { shared: false });
    const { error, ms } = await rejection(nodeB.acquire('db-lock', 'dir-9', { shared: false, timeout: 0.2 }));
    expect(error).toBeInstanceOf(locks.LockTimeoutError);
    expect(error).toMatchObject({ lock: 'db-lock', key: 'dir-9', timeout: 0.2 });
    expect(ms).toBeGreaterThanOrEqual(190);
    // The connection went back to the pool with lock_timeout reset: a plain acquire still waits.
    const c = await bPool.connect();
    expect((await c.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('0');
    c.release();
    // Released before the timeout runs out: taken.
    setTimeout(() => void held.release(), 50);
    const taken = await nodeB.acquire('db-lock', 'dir-9', { shared: false, timeout: 5 });
    await taken.release();
    // Through withLocks, naming the lock.
    const again = await nodeA.acquire('db-lock', 'dir-9', { shared: false });
    await expect(locks.withLocks([locks.using(locks.dbLock, 'dir-9', nodeB, { timeout: 0.1 })], async () => 1)).rejects.toBeInstanceOf(locks.LockTimeoutError);
    await again.release();
    expect(await locks.withLocks([locks.using(locks.dbLock, 'dir-9', nodeB, { timeout: 0.1 })], async () => 1)).toBe(1);
  });

  it('withLocks with the advisory provider serializes critical sections across pools', async () => {
    const inside: number[] = [];
    let current = 0;
    const nodes = [locks.pgAdvisoryLocks(pool()), locks.pgAdvisoryLocks(pool())];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        locks.withLocks([locks.using(locks.dbLock, 'dir-1', nodes[i % 2]!)], async () => {
          current++;
          inside.push(current);
          await new Promise((r) => setTimeout(r, 5));
          current--;
        }),
      ),
    );
    expect(inside).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
