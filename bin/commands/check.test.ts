import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_SPACE } from '../../lib/check/level-runner';
import { runCheck } from './check';

const example = (name: string) => join(__dirname, '..', '..', 'examples', name);

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCheck(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function withModel(edit: (model: any) => void): string {
  const model = JSON.parse(readFileSync(example('share-delete-vs-snapshot.json'), 'utf8'));
  edit(model);
  const file = join(mkdtempSync(join(tmpdir(), 'lockstep-cli-')), 'model.json');
  writeFileSync(file, JSON.stringify(model));
  return file;
}

describe('lockstep check', () => {
  it('exits 0 when every scenario meets its expect, and prints the shortest trace', async () => {
    const { code, out } = await run([example('share-delete-vs-snapshot.json')]);
    expect(code).toBe(0);
    expect(out).toContain('✓ naive-delete-vs-snapshot: violation: invariant no-snapshot-of-deleted-share');
    expect(out).toContain('✓ fixed-delete-vs-snapshot: pass');
    expect(out).toMatch(/trace \(\d+ steps, shortest\)/);
    expect(out).toContain('share1.state: available → deleting');
    expect(out).toContain('7 of 7 scenarios as expected');
  });

  it('exits 1 when a scenario breaks without expecting to', async () => {
    const file = withModel((m) => {
      for (const s of m.scenarios) delete s.expect;
    });
    const { code, out } = await run([file, '--scenario', 'naive-two-deletes']);
    expect(code).toBe(1);
    expect(out).toContain('✗ naive-two-deletes: violation: invariant one-driver-delete (no expectation)');
  });

  it('reports incomplete, never pass, when a bound cuts the search', async () => {
    const { code, out } = await run([example('share-delete-vs-snapshot.json'), '--scenario', 'fixed-delete-vs-snapshot', '--max-states', '3']);
    expect(code).toBe(1);
    expect(out).toContain('incomplete (max-states)');
  });

  it('exits 2 on an invalid document, naming the path and the problem', async () => {
    const file = withModel((m) => {
      m.operations[2].steps[0].steps[0].cond = 'share.state in ["available", "eror"]';
    });
    const { code, err } = await run([file]);
    expect(code).toBe(2);
    expect(err).toContain('operations[2].steps[0].steps[0].cond');
    expect(err).toContain("unknown state 'eror' of Share; did you mean 'error'?");
  });

  it('emits JSON with the results when asked', async () => {
    const { code, out } = await run([example('lease-and-fencing.json'), '--json', '--scenario', 'lease-expires-unfenced']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.results[0].violation.kind).toBe('stale-write');
    expect(parsed.results[0].trace.steps.length).toBe(5);
  });

  it('runs as `npx lockstep` from the repository', () => {
    const output = execFileSync('node', [join(__dirname, '..', 'lockstep.mjs'), 'check', example('crash-in-transitional-state.json'), '--quiet'], {
      encoding: 'utf8',
    });
    expect(output).toContain('2 of 2 scenarios as expected');
  });
});

describe('lockstep check --workers', () => {
  // The Spin benchmark model at N=6 (452,673 states unreduced) with an invariant first broken
  // deep in the search (all five snapshots available), so the threads do the search.
  function deepViolation(): string {
    const model = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'spin-scaled-share', 'scaled-share.json'), 'utf8'));
    model.scenarios = model.scenarios.filter((s: { name: string }) => s.name === 'scaled-6');
    delete model.scenarios[0].expect;
    model.scenarios[0].invariants = [{ name: 'not-all-snapshots-available', expr: 'count(Snapshot, "available") < 6' }];
    const file = join(mkdtempSync(join(tmpdir(), 'lockstep-cli-')), 'model.json');
    writeFileSync(file, JSON.stringify(model));
    return file;
  }

  it('finds the same shortest violation, with the same counts, in 1, 2 and 3 threads', async () => {
    const file = deepViolation();
    const results = [];
    for (const k of ['1', '2', '3']) {
      const { code, out } = await run([file, '--no-symmetry', '--no-merge', '--json', '--workers', k]);
      expect(code).toBe(1);
      const r = JSON.parse(out).results[0];
      results.push({ verdict: r.verdict, violation: r.violation, states: r.stats.distinctStates, transitions: r.stats.transitions, trace: r.trace.steps.length });
    }
    expect(results[0].verdict).toBe('violation');
    expect(results[0].states).toBeGreaterThan(SMALL_SPACE); // beyond what runs in one thread before the threads start
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  }, 120_000);

  it('rejects a worker count that is not a positive whole number', async () => {
    const { code, err } = await run([example('share-delete-vs-snapshot.json'), '--workers', '0']);
    expect(code).toBe(2);
    expect(err).toContain("--workers must be a positive whole number, not '0'");
  });
});
