/**
 * `lockstep check` as a terminal runs it (bin/lockstep.mjs in a child process,
 * from its cached bundle): one thread and two worker threads started from the
 * bundle give the same verdict and the same counts, on a space large enough
 * that the threads really start (more than 20,000 states).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const MODEL = path.join(ROOT, 'bench', 'spin-scaled-share', 'scaled-share.json');

function check(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockstep.mjs'), 'check', MODEL, ...args, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  expect(r.status, r.stderr).toBe(0);
  const scenario = JSON.parse(r.stdout).results[0];
  return { verdict: scenario.verdict, states: scenario.stats.distinctStates, transitions: scenario.stats.transitions, depth: scenario.stats.depth };
}

describe('lockstep check --workers from the command line', () => {
  it('two worker threads find what one thread finds, state for state', () => {
    const one = check('--scenario', 'scaled-5', '--no-symmetry', '--no-merge', '--workers', '1');
    const two = check('--scenario', 'scaled-5', '--no-symmetry', '--no-merge', '--workers', '2');
    expect(one.states).toBeGreaterThan(20_000);
    expect(two).toEqual(one);
    expect(one.verdict).toBe('pass');
  });
});
