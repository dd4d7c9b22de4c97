/**
 * Worker-thread pools (piscina) in which every replay and check of a posted
 * run happens, off the request path's heap: each thread has a V8 heap limit
 * (resourceLimits) and each task a wall-clock limit after which its thread is
 * terminated. Running out of either is a `BudgetExceeded`, which callers turn
 * into a 413/422 or a "too large to verify" — never a crash of the server.
 *
 * Two pools: `requests` (short tasks a request waits for: replaying a trace,
 * a page of states) and `jobs` (background verification, one at a time), so
 * a long verification never delays a page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { Task, TaskResult } from './tasks';

export interface PoolSettings {
  threads: number;
  /** V8 old-generation heap per thread, in MB. */
  heapMb: number;
  /** Queued tasks beyond which new ones are refused (busy). */
  maxQueue: number;
  /** Threads kept alive while idle (0: started on demand). */
  minThreads: number;
}

export type PoolName = 'requests' | 'jobs';

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export function poolSettings(name: PoolName): PoolSettings {
  return name === 'requests'
    ? { threads: envInt('LOCKSTEP_REQUEST_THREADS', 1), heapMb: envInt('LOCKSTEP_REQUEST_HEAP_MB', 256), maxQueue: 32, minThreads: 0 }
    : { threads: envInt('LOCKSTEP_JOB_THREADS', 1), heapMb: envInt('LOCKSTEP_JOB_HEAP_MB', 512), maxQueue: 64, minThreads: 0 };
}

export class BudgetExceeded extends Error {
  constructor(
    readonly resource: 'memory' | 'time' | 'busy',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The worker file, resolved in the checkout at run time: the server bundle
 * lives elsewhere (.next/server/chunks), so import.meta.url cannot point at it.
 */
export function workerFile(): string {
  const root = process.env.LOCKSTEP_ROOT || process.cwd();
  const file = path.join(root, 'lib', 'jobs', 'worker.mjs');
  if (!existsSync(file)) throw new Error(`the checker worker ${file} is missing (run the server from the Lockstep checkout, or set LOCKSTEP_ROOT)`);
  return file;
}

const holder = globalThis as unknown as { __lockstepPools?: Partial<Record<PoolName, Piscina>> };

function pool(name: PoolName): Piscina {
  holder.__lockstepPools ??= {};
  const existing = holder.__lockstepPools[name];
  if (existing) return existing;
  const s = poolSettings(name);
  const created = new Piscina({
    filename: workerFile(),
    minThreads: s.minThreads,
    maxThreads: s.threads,
    maxQueue: s.maxQueue,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: s.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  });
  holder.__lockstepPools[name] = created;
  return created;
}

/** Runs `task` in a thread of `name`, killing the thread after `timeoutMs`. */
export async function runInPool(name: PoolName, task: Task, timeoutMs: number): Promise<TaskResult> {
  const p = pool(name);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return (await p.run(task, { signal: controller.signal })) as TaskResult;
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string };
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      throw new BudgetExceeded('memory', `it needs more than the ${poolSettings(name).heapMb} MB of memory a check may use on this server`);
    }
    if (controller.signal.aborted || e.name === 'AbortError') {
      throw new BudgetExceeded('time', `it takes longer than the ${Math.round(timeoutMs / 100) / 10} s a check may run on this server`);
    }
    if (/queue is at limit/i.test(e.message ?? '')) throw new BudgetExceeded('busy', 'the server is busy checking other runs; try again shortly');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Stops every pool's threads (tests, shutdown). */
export async function closePools(): Promise<void> {
  const pools = holder.__lockstepPools ?? {};
  holder.__lockstepPools = {};
  await Promise.all(Object.values(pools).map((p) => p?.destroy()));
}
