/** `lockstep check` on a liveness violation: the lasso printed with its loop marked, in one thread and in several, and in --json. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from './check';

const model = join(__dirname, '..', '..', 'tests', 'liveness-spin', 'blocking-await.json');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lockstep check, liveness', () => {
  it('prints the lasso: where the cycle starts, its steps, and where it goes back to', async () => {
    const { code, out } = await run([model]);
    expect(code).toBe(0); // the scenario expects this violation
    expect(out).toContain('✓ live: violation: non-termination');
    expect(out).toContain('waiter never ends: it waits at step 1 (await)');
    expect(out).toContain('weak fairness does not make it run');
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.includes('── cycle: steps 1..2 repeat for ever ──'));
    const back = lines.findIndex((l) => l.includes('── back to the initial state: steps 1..2 repeat ──'));
    expect(start).toBeGreaterThan(lines.findIndex((l) => l.includes('0. initial:')));
    expect(lines.slice(start, back).filter((l) => /^\s+\d+\. toggler: write r\.flag/.test(l))).toHaveLength(2);
    expect(back).toBe(lines.length - 3);
  });

  it('the same lasso with --workers 2, and cycleStart in --json', async () => {
    const threads = await run([model, '--workers', '2']);
    expect(threads.out).toContain('── cycle: steps 1..2 repeat for ever ──');
    const json = await run([model, '--json']);
    const parsed = JSON.parse(json.out);
    expect(parsed.results[0].violation).toMatchObject({ kind: 'non-termination', process: 'waiter', cycleStart: 0 });
    expect(parsed.results[0].trace.steps).toHaveLength(2);
  });
});
