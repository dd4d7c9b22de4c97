import { describe, expect, it } from 'vitest';
import { applyEdit } from './actions';
import { diffLines, diffModels, stepLines, summarizeDiff } from './diff';
import { loadExample } from './fixtures';
import { getIn, setIn } from './path';

const share = loadExample();

describe('structural diff', () => {
  it('is empty for the same document', () => {
    expect(diffModels(share, share)).toEqual([]);
  });
  it('reports states, transitions and kinds', () => {
    let doc = applyEdit(share, { type: 'addState', resource: 0, name: 'archived', kind: 'terminal' });
    doc = applyEdit(doc, { type: 'addTransition', resource: 0, from: 'deleted', to: 'archived' });
    doc = applyEdit(doc, { type: 'setStateKind', resource: 0, state: 'error', kind: 'terminal' });
    doc = applyEdit(doc, { type: 'deleteTransition', resource: 0, index: 1 });
    const d = diffModels(share, doc);
    expect(d).toContainEqual({ kind: 'added', area: 'state', where: 'Share', what: 'archived', detail: 'terminal' });
    expect(d).toContainEqual({ kind: 'added', area: 'transition', where: 'Share', what: 'deleted → archived' });
    expect(d).toContainEqual({ kind: 'changed', area: 'state', where: 'Share', what: 'error', detail: 'error → terminal' });
    expect(d).toContainEqual({ kind: 'removed', area: 'transition', where: 'Share', what: 'creating → error', detail: 'create failed' });
  });
  it('reports steps added, removed and changed', () => {
    let doc = applyEdit(share, { type: 'set', path: 'operations[0].steps[1].message', value: 'busy!' });
    doc = applyEdit(doc, { type: 'remove', list: 'operations[1].steps', index: 3 });
    doc = applyEdit(doc, { type: 'insert', list: 'operations[3].steps', index: 4, value: { kind: 'return' } });
    const steps = diffModels(share, doc).filter((e) => e.area === 'step');
    expect(steps).toEqual([
      { kind: 'changed', area: 'step', where: 'deleteShareNaive', what: 'require status == "available" || status == "error" else abort "busy!"', detail: 'require status == "available" || status == "error" else abort "share is busy" → require status == "available" || status == "error" else abort "busy!"' },
      { kind: 'removed', area: 'step', where: 'createSnapshotNaive', what: 'write snap.state = "creating"' },
      { kind: 'added', area: 'step', where: 'createSnapshot', what: 'return' },
    ]);
  });
  it('reports locks, operations, invariants and scenarios', () => {
    let doc = applyEdit(share, { type: 'insert', list: 'locks', index: 0, value: { name: 'shareLock', key: 'Share', backend: 'etcd' } });
    const withLock = doc;
    doc = applyEdit(doc, { type: 'set', path: 'locks[0].fencing', value: false });
    doc = applyEdit(doc, { type: 'remove', list: 'operations', index: 0 });
    doc = applyEdit(doc, { type: 'set', path: 'invariants[0].expr', value: 'true' });
    doc = applyEdit(doc, { type: 'set', path: 'scenarios[1].faults', value: { crash: 1 } });
    expect(diffModels(share, withLock)).toEqual([{ kind: 'added', area: 'lock', where: 'shareLock', what: 'shareLock' }]);
    const d = diffModels(withLock, doc);
    expect(d).toContainEqual({ kind: 'changed', area: 'lock', where: 'shareLock', what: 'shareLock', detail: 'fencing: — → false' });
    expect(d).toContainEqual({ kind: 'removed', area: 'operation', where: 'deleteShareNaive', what: 'deleteShareNaive' });
    expect(d.find((e) => e.area === 'invariant')?.kind).toBe('changed');
    expect(d).toContainEqual({ kind: 'changed', area: 'scenario', where: 'naive-two-deletes', what: 'naive-two-deletes', detail: 'faults' });
  });
  it('indents nested blocks and diffs lines by LCS', () => {
    expect(stepLines(share.operations[2].steps).slice(0, 2)).toEqual(['[mark-deleting] atomic', '  require share.state in ["available", "error"] else abort "share is busy"']);
    expect(diffLines(['a', 'b', 'c'], ['a', 'c', 'd']).map((o) => o.op)).toEqual(['same', 'del', 'same', 'add']);
  });
});

describe('diff summary', () => {
  it('names the first changes and counts the rest', () => {
    let doc = applyEdit(share, { type: 'addState', resource: 0, name: 'archived', kind: 'terminal' });
    expect(summarizeDiff(diffModels(share, doc))).toBe('added state Share.archived');
    doc = applyEdit(doc, { type: 'addTransition', resource: 0, from: 'deleted', to: 'archived' });
    doc = applyEdit(doc, { type: 'set', path: 'operations[0].steps[1].message', value: 'x' });
    doc = applyEdit(doc, { type: 'set', path: 'operations[0].steps[3].message', value: 'y' });
    doc = applyEdit(doc, { type: 'remove', list: 'invariants', index: 0 });
    expect(summarizeDiff(diffModels(share, doc))).toBe('added state Share.archived; added transition Share: deleted → archived; changed step in deleteShareNaive (+1 more)');
    expect(summarizeDiff([])).toBe('No structural changes');
  });
});

describe('renames in the diff', () => {
  it('reports a renamed state once, not as a removal, an addition and moved transitions', () => {
    const doc = applyEdit(share, { type: 'renameState', resource: 0, from: 'error_deleting', to: 'delete_failed' });
    const d = diffModels(share, doc);
    expect(d.filter((e) => e.area === 'state' || e.area === 'transition')).toEqual([
      { kind: 'changed', area: 'state', where: 'Share', what: 'delete_failed', detail: 'renamed from error_deleting' },
    ]);
    expect(d.filter((e) => e.area === 'step')).toHaveLength(2); // the writes of the old name (deleteShare's and deleteShareConditional's), now the new one
  });
  it('does not call a different state a rename', () => {
    let doc = applyEdit(share, { type: 'deleteState', resource: 0, state: 'error_deleting' });
    doc = applyEdit(doc, { type: 'addState', resource: 0, name: 'archived', kind: 'terminal' });
    const states = diffModels(share, doc).filter((e) => e.area === 'state');
    expect(states.map((e) => e.kind).sort()).toEqual(['added', 'removed']);
  });
});

describe('rename summary', () => {
  it('says renamed', () => {
    const doc = applyEdit(share, { type: 'renameState', resource: 0, from: 'error_deleting', to: 'delete_failed' });
    expect(summarizeDiff(diffModels(share, doc))).toBe('renamed state Share.error_deleting → delete_failed; changed step in deleteShare; changed step in deleteShareConditional');
  });
});

describe('the diff covers every field', () => {
  /** Every scalar in the document, with its path (layout included). */
  function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    return [path];
  }
  const changed = (v: unknown) => (typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 1 : !v);

  it('reports an invariant whose only change is its description', () => {
    const doc = applyEdit(share, { type: 'set', path: 'invariants[0].description', value: 'snapshots never outlive their share' });
    expect(diffModels(share, doc)).toEqual([{ kind: 'changed', area: 'invariant', where: share.invariants[0].name, what: share.invariants[0].name, detail: 'description' }]);
    expect(summarizeDiff(diffModels(share, doc))).not.toBe('No structural changes');
  });

  it.each(['share-delete-vs-snapshot', 'lock-scope', 'lease-and-fencing', 'crash-in-transitional-state', 'image-cache-ageing-vs-spawn'])(
    'any single-field change to the %s example is reported',
    (name) => {
      const doc = loadExample(name);
      const missed: string[] = [];
      const paths = leaves(doc);
      expect(paths.length).toBeGreaterThan(50);
      // A step's or field type's `kind` is what the rest of it means; "readx" is no document a version can hold.
      for (const path of paths.filter((p) => p.at(-1) !== 'kind' || p[0] === 'resources' && p[2] === 'states')) {
        const next = setIn(doc, path, changed(getIn(doc, path)));
        if (diffModels(doc, next).length === 0) missed.push(path.join('.'));
      }
      expect(missed).toEqual([]);
    },
  );

  it('reports a removed optional field and a reordered list', () => {
    const noDescription = applyEdit(share, { type: 'set', path: 'operations[0].description', value: undefined });
    expect(diffModels(share, noDescription)).toContainEqual({ kind: 'changed', area: 'operation', where: share.operations[0].name, what: 'description' });
    const reordered = { ...share, operations: [...share.operations].reverse() };
    expect(diffModels(share, reordered)).toEqual([{ kind: 'changed', area: 'model', where: 'model', what: 'operations', detail: 'order' }]);
  });
});
