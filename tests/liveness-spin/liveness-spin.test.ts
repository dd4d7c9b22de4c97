/**
 * The liveness search against Spin's acceptance-cycle search under weak
 * fairness. Each case is one small model written twice — NAME.json for
 * Lockstep (scenario `live`, `checks.termination` or
 * `checks.leavesTransitional`) and NAME.pml for Spin (`ltl { <> done }`, or
 * `ltl { []<> !busy }`) — and both must agree on whether a fair cycle that
 * breaks the property exists: Lockstep's verdict against
 * `spin -a NAME.pml && gcc -O0 -DNFAIR=3 -o pan pan.c && ./pan -a -f`
 * (-O0: the models are tiny, compiling is the cost). Each case also states
 * its expected verdict, so the two cannot agree by both being wrong in the
 * same silent way, and Spin without `-f` shows that fairness is what decides
 * the passing cases.
 *
 * Needs `spin` and `gcc` (scripts/test.mjs installs Debian's `spin` when
 * missing); without them the test fails and says so.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '@/lib/model/validate';
import { checkScenario } from '@/lib/check/check';

const here = join(process.cwd(), 'tests', 'liveness-spin');
const work = mkdtempSync(join(tmpdir(), 'lockstep-liveness-spin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `true` when pan finds an acceptance cycle (a run on which the `<>` never comes true). */
function spinFindsCycle(name: string, fair: boolean): boolean {
  const dir = mkdtempSync(join(work, `${name}-`));
  copyFileSync(join(here, `${name}.pml`), join(dir, `${name}.pml`));
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.error) throw new Error(`${cmd} is not installed (npm test installs Debian's spin and gcc): ${r.error.message}`);
    if (r.status !== 0 && cmd !== './pan') throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  run('spin', ['-a', `${name}.pml`]);
  // NFAIR: room for the weak-fairness bookkeeping of up to five processes and the claim.
  run('gcc', ['-O0', '-DNFAIR=3', '-o', 'pan', 'pan.c']);
  const out = run('./pan', fair ? ['-a', '-f'] : ['-a']);
  const errors = /errors: (\d+)/.exec(out);
  if (!errors) throw new Error(`pan said no error count:\n${out}`);
  return Number(errors[1]) > 0;
}

function lockstepFindsCycle(name: string): { cycle: boolean; process?: string } {
  const analyzed = analyzeModel(JSON.parse(readFileSync(join(here, `${name}.json`), 'utf8')));
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  const result = checkScenario(analyzed.value, 'live');
  expect(result.verdict).not.toBe('incomplete');
  if (result.verdict === 'violation') expect(['non-termination', 'stays-transitional']).toContain(result.violation?.kind);
  // The model's own `expect` holds too.
  expect(result.meetsExpectation).toBe(true);
  return { cycle: result.verdict === 'violation', ...(result.violation?.process ? { process: result.violation.process } : {}) };
}

const CASES: Array<{ name: string; cycle: boolean; why: string }> = [
  { name: 'busy-wait', cycle: true, why: 'a busy-wait loop is always enabled, runs, and can read the bad value each time' },
  { name: 'blocking-await', cycle: true, why: 'a blocking await is disabled whenever its guard is false: weak fairness does not save it' },
  { name: 'livelock', cycle: true, why: 'two retriers can back off from each other for ever' },
  { name: 'daemon-exempt', cycle: false, why: 'the endless daemon is exempt; the one-shot process ends' },
  { name: 'crash-after-lease', cycle: false, why: 'a crash ends a process, and a crashed holder\'s lease runs out fairly' },
  { name: 'crash-never-released', cycle: true, why: 'a lock a crashed holder keeps for ever starves its waiter' },
  { name: 'stays-busy', cycle: true, why: 'an instance left busy while its worker polls a flag nobody sets stays transitional' },
  { name: 'leaves-busy', cycle: false, why: 'a setter, forced by weak fairness, sets the flag: the instance always leaves busy' },
];

describe('liveness: Lockstep and Spin (pan -a -f) agree on the same models', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.cycle ? 'a fair cycle exists' : 'no fair cycle'} — ${c.why}`, () => {
      const lockstep = lockstepFindsCycle(c.name);
      const spin = spinFindsCycle(c.name, true);
      expect({ lockstep: lockstep.cycle, spin }).toEqual({ lockstep: c.cycle, spin: c.cycle });
    });
  }

  it('without weak fairness Spin finds cycles in the passing cases: fairness is what decides them', () => {
    for (const c of CASES.filter((x) => !x.cycle)) expect(spinFindsCycle(c.name, false), c.name).toBe(true);
  });
});
