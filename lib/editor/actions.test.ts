import { describe, expect, it } from 'vitest';
import { validateModel } from '@/lib/model';
import { applyEdit } from './actions';
import { getIn, parsePath, formatSegments, setIn } from './path';
import { loadExample } from './fixtures';

const share = loadExample();

describe('paths', () => {
  it('parses and formats the validator’s notation', () => {
    expect(parsePath('operations[1].steps[2].cond')).toEqual(['operations', 1, 'steps', 2, 'cond']);
    expect(formatSegments(['operations', 1, 'steps', 2, 'cond'])).toBe('operations[1].steps[2].cond');
    expect(getIn(share, 'resources[0].states[1].name')).toBe('available');
  });
  it('writes immutably and removes keys set to undefined', () => {
    const next = setIn(share, 'operations[0].description', undefined);
    expect(next.operations[0].description).toBeUndefined();
    expect(share.operations[0].description).toBeDefined();
    expect(next.resources).toBe(share.resources);
  });
});

describe('state machine edits', () => {
  it('adds a state with a position', () => {
    const next = applyEdit(share, { type: 'addState', resource: 0, name: 'archived', kind: 'terminal', position: { x: 5, y: 6 } });
    expect(next.resources[0].states.at(-1)).toEqual({ name: 'archived', kind: 'terminal' });
    expect(next.layout?.resources?.Share?.archived).toEqual({ x: 5, y: 6 });
    expect(share.resources[0].states).toHaveLength(7);
  });
  it('renames a state everywhere it is structural: transitions, initial, layout, scenario instances', () => {
    let doc = applyEdit(share, { type: 'moveStates', resource: 0, positions: { available: { x: 1, y: 2 } } });
    doc = applyEdit(doc, { type: 'renameState', resource: 0, from: 'available', to: 'ready' });
    const r = doc.resources[0];
    expect(r.states.map((s) => s.name)).toContain('ready');
    expect(r.transitions.filter((t) => t.from === 'ready' || t.to === 'ready')).toHaveLength(4);
    expect(doc.layout?.resources?.Share).toEqual({ ready: { x: 1, y: 2 } });
    expect(doc.scenarios[0].instances[0].state).toBe('ready');
    // Snapshot's own 'available' is untouched.
    expect(doc.resources[1].states.map((s) => s.name)).toContain('available');
  });
  it('deletes a state with its edges', () => {
    const doc = applyEdit(share, { type: 'deleteState', resource: 0, state: 'error_deleting' });
    expect(doc.resources[0].states.map((s) => s.name)).not.toContain('error_deleting');
    expect(doc.resources[0].transitions.some((t) => t.from === 'error_deleting' || t.to === 'error_deleting')).toBe(false);
    expect(doc.resources[0].transitions).toHaveLength(8);
  });
  it('adds a transition once, deletes by index', () => {
    const doc = applyEdit(share, { type: 'addTransition', resource: 0, from: 'error', to: 'available' });
    expect(doc.resources[0].transitions.at(-1)).toEqual({ from: 'error', to: 'available' });
    expect(applyEdit(doc, { type: 'addTransition', resource: 0, from: 'error', to: 'available' })).toBe(doc);
    expect(applyEdit(doc, { type: 'deleteTransition', resource: 0, index: 10 }).resources[0].transitions).toHaveLength(10);
  });
  it('renames a resource and its uses', () => {
    const doc = applyEdit(share, { type: 'renameResource', resource: 0, to: 'Volume' });
    expect(doc.operations[0].params[0].type).toBe('Volume');
    expect(doc.resources[1].fields?.[0].type).toEqual({ kind: 'ref', resource: 'Volume' });
    expect(doc.scenarios[0].instances[0].type).toBe('Volume');
    expect(doc.invariants[0].expr).toBe(share.invariants[0].expr); // names Snapshot only
    const snap = applyEdit(share, { type: 'renameResource', resource: 1, to: 'Snap' });
    expect(snap.invariants[0].expr).toContain('all(n: Snap,');
    expect(validateModel(snap).ok).toBe(true);
  });
});

describe('list edits', () => {
  it('moves a step down within its list', () => {
    const doc = applyEdit(share, { type: 'move', from: { list: 'operations[0].steps', index: 0 }, to: { list: 'operations[0].steps', index: 2 } });
    expect(doc.operations[0].steps.slice(0, 2).map((s) => s.kind)).toEqual(['require', 'read']);
    expect((doc.operations[0].steps[1] as { label?: string }).label).toBe('check-status');
  });
  it('moves a step into a nested block that follows it (indices shift)', () => {
    // deleteShare: [atomic, call(onFail), write]; move the first step into call's onFail.
    const doc = applyEdit(share, { type: 'move', from: { list: 'operations[2].steps', index: 0 }, to: { list: 'operations[2].steps[1].onFail', index: 0 } });
    expect(doc.operations[2].steps.map((s) => s.kind)).toEqual(['call', 'write']);
    const call = doc.operations[2].steps[0] as { onFail: Array<{ kind: string }> };
    expect(call.onFail.map((s) => s.kind)).toEqual(['atomic', 'write', 'abort']);
  });
  it('refuses to move a step into itself', () => {
    const doc = applyEdit(share, { type: 'move', from: { list: 'operations[2].steps', index: 0 }, to: { list: 'operations[2].steps[0].steps', index: 0 } });
    expect(doc).toBe(share);
  });
  it('renames an operation and the scenario processes running it', () => {
    const doc = applyEdit(share, { type: 'renameOperation', operation: 0, to: 'deleteShareV0' });
    expect(doc.scenarios[0].processes[0].operation).toBe('deleteShareV0');
    // at(deleteShareNaive, …) in a scenario invariant follows too.
    expect(doc.scenarios[1].invariants?.[0].expr).toBe('at(deleteShareV0, "driver-delete") <= 1');
    expect(validateModel(doc).ok).toBe(true);
  });
  it('places a process on another node', () => {
    const doc = applyEdit(share, { type: 'placeProcess', scenario: 0, list: 'processes', index: 1, node: 'node2' });
    expect(doc.scenarios[0].processes[1].node).toBe('node2');
    expect(applyEdit(doc, { type: 'placeProcess', scenario: 0, list: 'processes', index: 1, node: undefined }).scenarios[0].processes[1]).not.toHaveProperty('node');
  });
});

describe('renaming a state follows it into expressions and cas values', () => {
  it('rewrites typed uses of the old name and leaves other resources alone', () => {
    const doc = applyEdit(share, { type: 'renameState', resource: 0, from: 'available', to: 'ready' });
    expect(validateModel(doc).ok).toBe(true);
    expect(doc.operations[0].steps[1]).toMatchObject({ cond: 'status == "ready" || status == "error"' });
    expect(doc.operations[3].steps[0]).toMatchObject({ kind: 'cas', from: ['ready'] });
    // Snapshot's own "available" stays.
    expect((doc.operations[3].steps[3] as { steps: Array<{ value: string }> }).steps[0].value).toBe('"available"');
    expect((doc.operations[3].steps[3] as { steps: Array<{ value: string }> }).steps[1].value).toBe('"ready"');
    expect(doc.invariants[0].expr).toContain('"available"');
  });
});

describe('moving states', () => {
  it('records positions, and moving to the same place changes nothing', () => {
    const doc = applyEdit(share, { type: 'moveStates', resource: 0, positions: { available: { x: 1, y: 2 } } });
    expect(doc.layout?.resources?.Share?.available).toEqual({ x: 1, y: 2 });
    expect(applyEdit(doc, { type: 'moveStates', resource: 0, positions: { available: { x: 1, y: 2 } } })).toBe(doc);
  });
});
