import { describe, expect, it } from 'vitest';
import { createEditorStore, initialState, reduce } from './store';
import { loadExample } from './fixtures';

const share = loadExample();

describe('editor store', () => {
  it('undoes and redoes every edit', () => {
    let s = initialState(share);
    s = reduce(s, { type: 'edit', action: { type: 'addState', resource: 0, name: 'x', kind: 'stable' }, at: 0 });
    s = reduce(s, { type: 'edit', action: { type: 'setStateKind', resource: 0, state: 'x', kind: 'error' }, at: 10 });
    expect(s.past).toHaveLength(2);
    s = reduce(s, { type: 'undo' });
    expect(s.doc.resources[0].states.at(-1)).toEqual({ name: 'x', kind: 'stable' });
    s = reduce(s, { type: 'undo' });
    expect(s.doc).toBe(share);
    s = reduce(s, { type: 'redo' });
    s = reduce(s, { type: 'redo' });
    expect(s.doc.resources[0].states.at(-1)).toEqual({ name: 'x', kind: 'error' });
    expect(reduce(s, { type: 'redo' })).toBe(s);
  });
  it('coalesces typing into one field, not different fields', () => {
    let s = initialState(share);
    for (const [i, v] of ['s', 'sh', 'sha'].entries()) s = reduce(s, { type: 'edit', action: { type: 'set', path: 'operations[0].description', value: v }, at: i * 100 });
    expect(s.past).toHaveLength(1);
    s = reduce(s, { type: 'edit', action: { type: 'set', path: 'operations[1].description', value: 'z' }, at: 400 });
    expect(s.past).toHaveLength(2);
    s = reduce(s, { type: 'edit', action: { type: 'set', path: 'operations[1].description', value: 'zz' }, at: 5000 });
    expect(s.past).toHaveLength(3);
  });
  it('a new edit clears redo; a no-op edit changes nothing', () => {
    let s = initialState(share);
    s = reduce(s, { type: 'edit', action: { type: 'setInitial', resource: 0, state: 'available' } });
    s = reduce(s, { type: 'undo' });
    expect(s.future).toHaveLength(1);
    s = reduce(s, { type: 'edit', action: { type: 'setInitial', resource: 0, state: 'error' } });
    expect(s.future).toHaveLength(0);
    expect(reduce(s, { type: 'edit', action: { type: 'setInitial', resource: 0, state: 'error' } })).toBe(s);
  });
  it('drops a selection whose state was deleted', () => {
    let s = reduce(initialState(share), { type: 'select', selection: { kind: 'state', resource: 0, name: 'error_deleting' } });
    s = reduce(s, { type: 'edit', action: { type: 'deleteState', resource: 0, state: 'error_deleting' } });
    expect(s.selection).toBeNull();
  });
  it('notifies subscribers', () => {
    const store = createEditorStore(share, () => 0);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch({ type: 'view', view: { tab: 'json' } });
    store.dispatch({ type: 'undo' }); // nothing to undo: no notification
    off();
    store.dispatch({ type: 'view', view: { tab: 'locks' } });
    expect(calls).toBe(1);
  });
});
