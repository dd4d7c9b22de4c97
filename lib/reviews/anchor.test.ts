import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelSchema, type ModelDocument, type Step } from '@/lib/model/schema';
import { anchorLabel, anchorSchema, anchorStatus, missingAnchor, resolveAnchor, type Anchor } from './anchor';

const example = (): ModelDocument =>
  modelSchema.parse(JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8')));
const edit = (doc: ModelDocument, change: (d: ModelDocument) => void) => {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
};
const op = (d: ModelDocument, name: string) => d.operations.find((o) => o.name === name)!;
const unlabel = (steps: Step[]) => steps.forEach((s) => delete s.label);

describe('anchor schema', () => {
  it('accepts each kind and refuses malformed step paths, naming the path', () => {
    for (const a of [
      { kind: 'model' },
      { kind: 'state', resource: 'Share', state: 'deleting' },
      { kind: 'transition', resource: 'Share', from: 'available', to: 'deleting' },
      { kind: 'step', operation: 'deleteShare', path: [1, 'onFail', 0] },
      { kind: 'lock', lock: 'share-lock' },
      { kind: 'invariant', invariant: 'no-snapshot-of-deleted-share' },
      { kind: 'scenario', scenario: 'naive-two-deletes' },
      { kind: 'trace-step', runId: 'abcdefghijklmnopqrstuv', scenario: 'naive-two-deletes', step: 5 },
    ]) expect(anchorSchema.safeParse(a).success, JSON.stringify(a)).toBe(true);
    for (const path of [[], ['then'], [0, 'then'], [0, 1], [0, 'elsewhere', 1], [-1]]) {
      const r = anchorSchema.safeParse({ kind: 'step', operation: 'x', path });
      expect(r.success, JSON.stringify(path)).toBe(false);
      expect(r.error!.issues[0].path[0]).toBe('path');
    }
    expect(anchorSchema.safeParse({ kind: 'state', resource: 'Share' }).success).toBe(false);
    expect(anchorSchema.safeParse({ kind: 'comment' }).success).toBe(false);
  });
});

describe('anchorStatus across versions', () => {
  const v1 = example();

  it('is current on an unchanged document for every element kind', () => {
    const anchors: Anchor[] = [
      { kind: 'model' },
      { kind: 'state', resource: 'Share', state: 'deleting' },
      { kind: 'transition', resource: 'Share', from: 'available', to: 'deleting' },
      { kind: 'step', operation: 'deleteShare', path: [1, 'onFail', 0] },
      { kind: 'invariant', invariant: 'no-snapshot-of-deleted-share' },
      { kind: 'scenario', scenario: 'naive-two-deletes' },
    ];
    for (const a of anchors) {
      expect(missingAnchor(a, v1), JSON.stringify(a)).toBeNull();
      expect(anchorStatus(a, v1, structuredClone(v1)), JSON.stringify(a)).toBe('current');
    }
  });

  it('says changed when the item is edited and outdated when it is gone', () => {
    const state: Anchor = { kind: 'state', resource: 'Share', state: 'error_deleting' };
    expect(anchorStatus(state, v1, edit(v1, (d) => (d.resources[0].states.find((s) => s.name === 'error_deleting')!.description = 'stuck')))).toBe('changed');
    expect(anchorStatus(state, v1, edit(v1, (d) => (d.resources[0].states = d.resources[0].states.filter((s) => s.name !== 'error_deleting'))))).toBe('outdated');

    const transition: Anchor = { kind: 'transition', resource: 'Share', from: 'error_deleting', to: 'deleting' };
    expect(anchorStatus(transition, v1, edit(v1, (d) => (d.resources[0].transitions.find((t) => t.from === 'error_deleting')!.name = 'retry')))).toBe('changed');
    expect(anchorStatus(transition, v1, edit(v1, (d) => (d.resources[0].transitions = d.resources[0].transitions.filter((t) => t.from !== 'error_deleting'))))).toBe('outdated');

    const scenario: Anchor = { kind: 'scenario', scenario: 'naive-two-deletes' };
    expect(anchorStatus(scenario, v1, edit(v1, (d) => (d.scenarios[1].description = 'x')))).toBe('changed');
    expect(anchorStatus(scenario, v1, edit(v1, (d) => d.scenarios.splice(1, 1)))).toBe('outdated');

    const invariant: Anchor = { kind: 'invariant', invariant: 'no-snapshot-of-deleted-share' };
    expect(anchorStatus(invariant, v1, edit(v1, (d) => (d.invariants[0].expr = 'true')))).toBe('changed');
    expect(anchorStatus(invariant, v1, edit(v1, (d) => (d.invariants = [])))).toBe('outdated');

    expect(anchorStatus({ kind: 'model' }, v1, edit(v1, (d) => (d.description = 'new words')))).toBe('changed');
    expect(anchorStatus({ kind: 'model' }, v1, edit(v1, (d) => (d.scenarios[0].description = 'x')))).toBe('current');
  });

  it('follows a step by its label when steps move, and says changed when it is edited', () => {
    const anchor: Anchor = { kind: 'step', operation: 'deleteShareNaive', path: [4], label: 'mark-deleting' };
    const moved = edit(v1, (d) => op(d, 'deleteShareNaive').steps.unshift({ kind: 'return' }));
    expect(resolveAnchor(anchor, v1, moved)).toEqual({ status: 'current', path: [5] });
    const edited = edit(moved, (d) => {
      const step = op(d, 'deleteShareNaive').steps[5];
      if (step.kind === 'write') step.value = '"deleted"';
    });
    expect(resolveAnchor(anchor, v1, edited)).toEqual({ status: 'changed', path: [5] });
    const removed = edit(v1, (d) => op(d, 'deleteShareNaive').steps.splice(4, 1));
    expect(anchorStatus(anchor, v1, removed)).toBe('outdated');
  });

  it('tells an edited unlabelled step (changed) from a removed one (outdated)', () => {
    const base = edit(v1, (d) => unlabel(op(d, 'createSnapshotNaive').steps));
    // [1] is `require status == "available"`, followed by a write.
    const anchor: Anchor = { kind: 'step', operation: 'createSnapshotNaive', path: [1] };
    const edited = edit(base, (d) => {
      const step = op(d, 'createSnapshotNaive').steps[1];
      if (step.kind === 'require') step.message = 'busy';
    });
    expect(anchorStatus(anchor, base, edited)).toBe('changed');
    expect(anchorStatus(anchor, base, edit(base, (d) => op(d, 'createSnapshotNaive').steps.splice(1, 1)))).toBe('outdated');
    // Removing the last step: nothing at the path any more.
    const last: Anchor = { kind: 'step', operation: 'createSnapshotNaive', path: [op(base, 'createSnapshotNaive').steps.length - 1] };
    expect(anchorStatus(last, base, edit(base, (d) => op(d, 'createSnapshotNaive').steps.pop()))).toBe('outdated');
    // An identical step moved down by an insertion above it is the same step.
    expect(resolveAnchor(anchor, base, edit(base, (d) => op(d, 'createSnapshotNaive').steps.unshift({ kind: 'return' })))).toEqual({ status: 'current', path: [2] });
    // The operation removed.
    expect(anchorStatus(anchor, base, edit(base, (d) => (d.operations = d.operations.filter((o) => o.name !== 'createSnapshotNaive'))))).toBe('outdated');
  });

  it('keeps a trace-step anchor current only at the run version', () => {
    const anchor: Anchor = { kind: 'trace-step', runId: 'abcdefghijklmnopqrstuv', scenario: 'naive-two-deletes', step: 5 };
    expect(anchorStatus(anchor, v1, v1, { runVersion: 2, reviewVersion: 2 })).toBe('current');
    expect(anchorStatus(anchor, v1, v1, { runVersion: 2, reviewVersion: 3 })).toBe('outdated');
  });

  it('labels anchors as a reader sees them', () => {
    expect(anchorLabel({ kind: 'step', operation: 'deleteShare', path: [1, 'onFail', 0] }, v1)).toBe('deleteShare step 2.onFail.1 (write)');
    expect(anchorLabel({ kind: 'trace-step', runId: 'r'.repeat(22), scenario: 'naive-two-deletes', step: 5 })).toBe('trace step 5 of naive-two-deletes');
    expect(missingAnchor({ kind: 'step', operation: 'deleteShare', path: [9] }, v1)).toBe("operation 'deleteShare' has no step at [9]");
  });
});
