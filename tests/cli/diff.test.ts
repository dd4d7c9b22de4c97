/**
 * `lockstep diff OLD NEW` as a CI job runs it: the real command (bin/lockstep.mjs
 * in a child process), its output and its exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const EXAMPLE = path.join(ROOT, 'examples', 'share-delete-vs-snapshot.json');

function lockstep(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'lockstep.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A copy of the example with `edit` applied, in a temporary file. */
function variant(edit: (model: any) => void): string {
  const model = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  edit(model);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lockstep-diff-')), 'model.json');
  writeFileSync(file, JSON.stringify(model, null, 2));
  return file;
}

/** fixed-two-deletes made naive: its two deletes no longer cas, so its `expect: pass` fails. */
const naive = variant((m) => {
  for (const p of m.scenarios.find((s: any) => s.name === 'fixed-two-deletes').processes) p.operation = 'deleteShareNaive';
});

describe('lockstep diff', () => {
  it('exits 1 when a scenario that met its expect no longer does, naming it', () => {
    const r = lockstep('diff', EXAMPLE, naive);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ fixed-two-deletes: pass → violation');
    expect(r.out).toContain('no longer meets its expect');
    expect(r.out).toContain('naive-two-deletes: unchanged (violation (invariant), trace 10 moves, 37 states)');
    expect(r.out).toContain('1 scenario no longer meets its expect: fixed-two-deletes');
  });

  it('exits 0 for the fix, printing how the verdict moved', () => {
    const r = lockstep('diff', naive, EXAMPLE, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(true);
    const row = report.rows.find((x: any) => x.scenario === 'fixed-two-deletes');
    expect(row).toMatchObject({ changes: ['violation → pass'], regressed: false, before: { verdict: 'violation', meetsExpectation: false }, after: { verdict: 'pass', states: 7, meetsExpectation: true } });
    expect(report.rows).toHaveLength(7);
  });

  it('reports a state-count change, and none for an unchanged model', () => {
    const same = lockstep('diff', EXAMPLE, EXAMPLE);
    expect(same.code).toBe(0);
    expect(same.out).toContain('0 of 7 scenarios changed; none regressed');
    // A third concurrent delete in the fixed scenario: more states, still a pass.
    const bigger = variant((m) => {
      m.scenarios.find((x: any) => x.name === 'fixed-two-deletes').processes[0].count = 3;
    });
    const r = lockstep('diff', EXAMPLE, bigger);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('~ fixed-two-deletes: pass, 7 → 10 states');
    expect(r.out).toContain('1 of 7 scenarios changed; none regressed');
  });

  it('exits 2 on an invalid document, naming the path, and on a wrong call', () => {
    const broken = variant((m) => {
      m.operations[2].steps[0].steps[0].cond = 'share.state in ["available", "eror"]';
    });
    const r = lockstep('diff', EXAMPLE, broken);
    expect(r.code).toBe(2);
    expect(r.err).toContain('operations[2].steps[0].steps[0].cond');
    expect(lockstep('diff', EXAMPLE).code).toBe(2);
    expect(lockstep('diff', EXAMPLE, path.join(tmpdir(), 'no-such-model.json')).err).toContain('cannot read');
  });
});
