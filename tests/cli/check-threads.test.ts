/**
 * Worker threads for real: `lockstep check` as a terminal runs it
 * (bin/lockstep.mjs in a child process, from its cached bundle) gives the same
 * verdict and counts with one thread and with two; and the worker threads
 * themselves (check-workers.ts: bundled worker code, shared memory, replies
 * matched to tasks in order) carry a whole search, state for state.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWorkerThreads } from '../../bin/commands/check-workers';
import { checkScenario } from '../../lib/check/check';
import { partitionSetups } from '../../lib/check/level-runner';
import { exploreLevels } from '../../lib/check/level-search';
import { compileSystem } from '../../lib/check/system';
import { analyzeModel } from '../../lib/model/validate';

const ROOT = process.cwd();
const MODEL = path.join(ROOT, 'bench', 'spin-scaled-share', 'scaled-share.json');

/** `lockstep check MODEL ...args` as a terminal runs it. */
const lockstepCheck = (args: string[], timeout = 180_000) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockstep.mjs'), 'check', MODEL, ...args], { cwd: ROOT, encoding: 'utf8', timeout });

function check(...args: string[]) {
  const r = lockstepCheck([...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  const scenario = JSON.parse(r.stdout).results[0];
  return { verdict: scenario.verdict, states: scenario.stats.distinctStates, transitions: scenario.stats.transitions, depth: scenario.stats.depth, threads: scenario.stats.threads ?? 1 };
}

describe('lockstep check --workers from the command line', () => {
  it('two worker threads take a search over and find what one thread finds, state for state', () => {
    // 3,048,321 states, seconds in one thread: the threads are ready long before it ends (scaled-5 ended first).
    const one = check('--scenario', 'scaled-7', '--no-symmetry', '--no-merge', '--workers', '1');
    const two = check('--scenario', 'scaled-7', '--no-symmetry', '--no-merge', '--workers', '2');
    expect(two.threads).toBe(2);
    expect({ ...two, threads: 1 }).toEqual(one);
    expect(one.verdict).toBe('pass');
  }, 360_000);

  it('stops the threads it started when the search ends before it would hand over, and exits', () => {
    // 9,489 states: the threads start at 2,000 (ASKED_THREADS_START), the hand-over would come at 20,000.
    const one = check('--scenario', 'scaled-4', '--no-symmetry', '--no-merge', '--workers', '1');
    const two = check('--scenario', 'scaled-4', '--no-symmetry', '--no-merge', '--workers', '2');
    expect(one.states).toBeGreaterThan(2_000);
    expect(one.states).toBeLessThan(20_000);
    expect(two).toEqual(one);
    expect(two.threads).toBe(1);
  });

  it('refuses more workers than a search has partitions for, naming the option', () => {
    // Each would be a thread: --workers 600 took 2.6 GB and 13 s before the search fell back to one thread.
    const r = lockstepCheck(['--scenario', 'scaled-5', '--workers', '255'], 60_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--workers must be at most 254, not 255');
    expect(r.stdout).toBe('');
  });

  it('two worker threads carry a whole search and find what one thread finds', async () => {
    const analyzed = analyzeModel(JSON.parse(readFileSync(MODEL, 'utf8')));
    if (!analyzed.ok) throw new Error('the benchmark model is not valid');
    const options = { symmetry: false, mergeLocalSteps: false };
    const runner = await startWorkerThreads(partitionSetups(analyzed.value, 'scaled-5', options, 2));
    try {
      const outcome = await exploreLevels(compileSystem(analyzed.value, 'scaled-5', options), runner);
      const alone = checkScenario(analyzed.value, 'scaled-5', options);
      expect(outcome.stats.threads).toBe(2);
      expect([outcome.verdict, outcome.stats.distinctStates, outcome.stats.transitions, outcome.stats.depth]).toEqual([
        alone.verdict,
        alone.stats.distinctStates,
        alone.stats.transitions,
        alone.stats.depth,
      ]);
    } finally {
      await runner.close();
    }
  }, 60_000);
});
