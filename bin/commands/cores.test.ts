/**
 * `lockstep check`'s default thread count in a container: the cgroup CPU
 * quota caps it. Each case lays out the cgroup files a container or a host
 * shows (in a temporary directory) and reads them as the command does.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usableCores, type CgroupFiles } from './cores';

/** A cgroup tree: `self` is /proc/self/cgroup's text, `files` maps paths under the mount root to their text. */
function cgroups(self: string, files: Record<string, string>): CgroupFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'lockstep-cgroup-'));
  const root = path.join(dir, 'sys-fs-cgroup');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(dir, 'self-cgroup'), self);
  return { root, self: path.join(dir, 'self-cgroup') };
}

describe('usableCores', () => {
  it('is the quota of a cgroup v2 container (docker run --cpus 2 on a 64-core host)', () => {
    expect(usableCores(cgroups('0::/\n', { 'cpu.max': '200000 100000\n' }), 64)).toBe(2);
  });

  it('takes the smallest limit of the cgroup and those above it, rounded down as Node 22 does (a Kubernetes pod of 2.5 CPUs)', () => {
    const files = cgroups('0::/kubepods/pod1/ctr\n', { 'kubepods/pod1/cpu.max': '250000 100000\n', 'kubepods/pod1/ctr/cpu.max': 'max 100000\n', 'kubepods/cpu.max': 'max 100000\n' });
    expect(usableCores(files, 64)).toBe(2);
  });

  it('finds a cgroup whose path holds a colon', () => {
    expect(usableCores(cgroups('0::/ci/job:42\n', { 'ci/job:42/cpu.max': '400000 100000\n' }), 64)).toBe(4);
  });

  it('reads cgroup v1 quotas, at the mount root when the host path is not there (a v1 container)', () => {
    const files = cgroups('12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n', { 'cpu,cpuacct/cpu.cfs_quota_us': '300000\n', 'cpu,cpuacct/cpu.cfs_period_us': '100000\n' });
    expect(usableCores(files, 64)).toBe(3);
  });

  it('is every CPU when no cgroup limits it, or its files cannot be read', () => {
    expect(usableCores(cgroups('0::/\n', { 'cpu.max': 'max 100000\n' }), 8)).toBe(8);
    expect(usableCores(cgroups('4:cpu,cpuacct:/\n', { 'cpu,cpuacct/cpu.cfs_quota_us': '-1\n', 'cpu,cpuacct/cpu.cfs_period_us': '100000\n' }), 8)).toBe(8);
    expect(usableCores({ root: '/nonexistent/cgroup', self: '/nonexistent/self' }, 8)).toBe(8);
  });

  it('never exceeds the CPUs, and is at least one (a quota of half a CPU)', () => {
    expect(usableCores(cgroups('0::/\n', { 'cpu.max': '1600000 100000\n' }), 4)).toBe(4);
    expect(usableCores(cgroups('0::/\n', { 'cpu.max': '50000 100000\n' }), 4)).toBe(1);
  });
});
