import { describe, expect, it } from 'vitest';
import { validateModel } from '@/lib/model';
import { applyEdit } from './actions';
import { copyName, duplicateModelDocument } from './duplicate';
import { loadExample } from './fixtures';

const share = loadExample();

describe('copyName', () => {
  it('adds "copy", then numbers it while the name is taken', () => {
    expect(copyName('deleteShare', ['deleteShare'])).toBe('deleteShare_copy');
    expect(copyName('deleteShare', ['deleteShare', 'deleteShare_copy'])).toBe('deleteShare_copy_2');
    expect(copyName('deleteShare', ['deleteShare_copy', 'deleteShare_copy_2'])).toBe('deleteShare_copy_3');
    expect(copyName('Share race', ['Share race', 'Share race copy'], ' ')).toBe('Share race copy 2');
  });
});

describe('duplicate an operation', () => {
  it('inserts a deep copy right after the original, under a unique name, and the model still validates', () => {
    const next = applyEdit(share, { type: 'duplicateOperation', operation: 2 });
    expect(next.operations.map((o) => o.name)).toEqual(['deleteShareNaive', 'createSnapshotNaive', 'deleteShare', 'deleteShare_copy', 'createSnapshot', 'deleteShareConditional']);
    expect(next.operations[3].steps).toEqual(share.operations[2].steps);
    expect(next.operations[3].steps).not.toBe(share.operations[2].steps);
    expect(validateModel(next).ok).toBe(true);
    const again = applyEdit(next, { type: 'duplicateOperation', operation: 2 });
    expect(again.operations[3].name).toBe('deleteShare_copy_2');
    expect(share.operations).toHaveLength(5);
  });
  it('is a no-op for an index that does not exist', () => {
    expect(applyEdit(share, { type: 'duplicateOperation', operation: 9 })).toBe(share);
  });
});

describe('duplicate a scenario', () => {
  it('inserts a copy after the original with all its processes, faults and expectation', () => {
    const next = applyEdit(share, { type: 'duplicateScenario', scenario: 1 });
    expect(next.scenarios[2]).toEqual({ ...share.scenarios[1], name: 'naive-two-deletes_copy' });
    expect(next.scenarios).toHaveLength(share.scenarios.length + 1);
    expect(validateModel(next).ok).toBe(true);
  });
});

describe('duplicate a model', () => {
  it('names the copy "<name> copy", unique among the workspace’s models, within 200 characters', () => {
    expect(duplicateModelDocument(share, [share.name]).name).toBe(`${share.name} copy`);
    expect(duplicateModelDocument(share, [share.name, `${share.name} copy`]).name).toBe(`${share.name} copy 2`);
    const long = duplicateModelDocument({ ...share, name: 'x'.repeat(200) }, []);
    expect(long.name.length).toBeLessThanOrEqual(200);
    expect(validateModel(long).ok).toBe(true);
    expect(duplicateModelDocument(share, []).operations).toEqual(share.operations);
  });
});

describe('rename an invariant', () => {
  it('a model invariant: every scenario expecting it by name follows', () => {
    const next = applyEdit(share, { type: 'renameInvariant', invariant: 0, to: 'no-orphan-snapshot' });
    expect(next.invariants[0].name).toBe('no-orphan-snapshot');
    expect(next.scenarios[0].expect).toEqual({ verdict: 'violation', kind: 'invariant', name: 'no-orphan-snapshot' });
    expect(validateModel(next).ok).toBe(true);
  });
  it('a scenario’s own invariant: only that scenario’s expectation follows', () => {
    const next = applyEdit(share, { type: 'renameInvariant', scenario: 1, invariant: 0, to: 'single-delete' });
    expect(next.scenarios[1].invariants?.[0].name).toBe('single-delete');
    expect(next.scenarios[1].expect).toEqual({ verdict: 'violation', kind: 'invariant', name: 'single-delete' });
    // fixed-two-deletes has its own invariant of the old name: untouched.
    expect(next.scenarios[4].invariants?.[0].name).toBe('one-driver-delete');
    expect(validateModel(next).ok).toBe(true);
  });
});
