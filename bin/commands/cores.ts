/**
 * How many cores `lockstep check` uses when not told: the CPUs this process
 * may run on, or fewer when a cgroup CPU quota allows less (a container's
 * `--cpus`, a Kubernetes CPU limit, a CI runner's share). Node 20's libuv
 * (1.46) counts only the CPUs, so in a 2-CPU container on a 64-core host a
 * long check would start 63 threads to share two CPUs' worth of time; libuv
 * 1.49 (Node 22) reads the quota too, and rounds it down, as this does.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

export interface CgroupFiles {
  /** Where the cgroup file systems are mounted. */
  root: string;
  /** This process's `/proc/self/cgroup`. */
  self: string;
}

const SYSTEM: CgroupFiles = { root: '/sys/fs/cgroup', self: '/proc/self/cgroup' };

/** The CPUs this process may use: availableParallelism(), lowered to its cgroup CPU quota (rounded down, at least 1) when there is one. */
export function usableCores(files: CgroupFiles = SYSTEM, cpus = availableParallelism()): number {
  const quota = cpuQuota(files);
  return Math.max(1, Math.min(cpus, Math.floor(quota)));
}

/**
 * CPUs' worth of time the process's cgroups allow (Infinity when none limits
 * it): the smallest quota / period of its cgroup and those above it, under
 * cgroup v2 (`cpu.max`) or v1 (`cpu.cfs_quota_us`, `cpu.cfs_period_us`).
 * Inside a container the cgroup's own directory is usually the mount root,
 * so that is read too.
 */
function cpuQuota(files: CgroupFiles = SYSTEM): number {
  const lines = read(files.self)?.split('\n') ?? [];
  let quota = Infinity;
  for (const line of lines) {
    // hierarchy-id:controllers:path (v2: "0::/path"); the path may hold colons itself.
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const [id, controllers, path] = [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1)];
    if (!path.startsWith('/')) continue;
    if (id === '0' && controllers === '') {
      for (const dir of upwards(files.root, path)) quota = Math.min(quota, v2Quota(read(join(dir, 'cpu.max'))));
    } else if (controllers.split(',').includes('cpu')) {
      // Where the v1 cpu hierarchy is mounted: named after its controllers, or by one of the usual names (one of them is the same place).
      for (const mount of new Set([join(files.root, controllers), join(files.root, 'cpu'), join(files.root, 'cpu,cpuacct')])) {
        for (const dir of upwards(mount, path)) quota = Math.min(quota, v1Quota(read(join(dir, 'cpu.cfs_quota_us')), read(join(dir, 'cpu.cfs_period_us'))));
      }
    }
  }
  return quota;
}

/** `mount + path` and each directory above it up to `mount`. */
function upwards(mount: string, path: string): string[] {
  const dirs: string[] = [];
  for (let dir = join(mount, path); dir.startsWith(mount); dir = dirname(dir)) {
    dirs.push(dir);
    if (dir === mount) break;
  }
  return dirs;
}

/** cgroup v2 `cpu.max`: "QUOTA PERIOD" in microseconds, or "max PERIOD" for none. */
function v2Quota(text: string | null): number {
  const [quota, period] = (text ?? '').trim().split(/\s+/).map(Number);
  return quota > 0 && period > 0 ? quota / period : Infinity;
}

/** cgroup v1: a quota of -1 is none (and a missing file, read as null, is 0). */
function v1Quota(quota: string | null, period: string | null): number {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : Infinity;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
