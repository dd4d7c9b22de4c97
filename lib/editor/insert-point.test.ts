import { describe, expect, it } from 'vitest';
import { validateModel } from '@/lib/model';
import { applyEdit } from './actions';
import { insertionPoint, slotOf } from './insert-point';
import { callNameFor, localReadBefore, newStep } from './steps';
import { createEditorStore } from './store';
import { getIn } from './path';
import { loadExample } from './fixtures';

const share = loadExample();
// deleteShare: steps[0] is `with share-lock(share)`, holding a read, ifs…
const opIndex = share.operations.findIndex((o) => o.name === 'deleteShareNaive');
const op = share.operations[opIndex];
const top = `operations[${opIndex}].steps`;

describe('insertion point of "Add step"', () => {
  it('is the end of the block when nothing is selected', () => {
    expect(insertionPoint(share, top, null)).toEqual({ list: top, index: op.steps.length });
  });
  it('is right after the selected step, in the selected step’s block', () => {
    expect(insertionPoint(share, top, `${top}[0]`)).toEqual({ list: top, index: 1 });
  });
  it('follows a selection nested below the block into that nested block', () => {
    const nested = share.operations.flatMap((o, oi) => o.steps.flatMap((s, si) => (s.kind === 'if' || s.kind === 'with' || s.kind === 'atomic' ? [{ oi, si, key: s.kind === 'if' ? 'then' : 'steps' }] : [])))[0];
    const list = `operations[${nested.oi}].steps[${nested.si}].${nested.key}`;
    expect(insertionPoint(share, `operations[${nested.oi}].steps`, `${list}[0]`)).toEqual({ list, index: 1 });
  });
  it('ignores a selection elsewhere (another operation) or one that names no step', () => {
    expect(insertionPoint(share, top, `operations[${opIndex + 1}].steps[0]`)).toEqual({ list: top, index: op.steps.length });
    expect(insertionPoint(share, top, `${top}[99]`)).toEqual({ list: top, index: op.steps.length });
    expect(slotOf(share, 'resources[0]')).toBeNull();
  });
});

describe('the selected step in the store', () => {
  it('a new step goes after the selected one; a move or removal forgets the selection, a field edit keeps it', () => {
    const store = createEditorStore(share);
    store.dispatch({ type: 'view', view: { step: `${top}[0]` } });
    store.dispatch({ type: 'edit', action: { type: 'set', path: `${top}[0].label`, value: 'first' } });
    expect(store.getState().view.step).toBe(`${top}[0]`);
    const at = insertionPoint(store.getState().doc, top, store.getState().view.step);
    store.dispatch({ type: 'edit', action: { type: 'insert', list: at.list, index: at.index, value: { kind: 'return' } } });
    expect(store.getState().doc.operations[opIndex].steps[1]).toEqual({ kind: 'return' });
    expect(store.getState().view.step).toBeNull();
    store.dispatch({ type: 'view', view: { step: `${top}[1]` } });
    store.dispatch({ type: 'undo' });
    expect(store.getState().view.step).toBeNull();
  });
});

describe('context-aware step defaults', () => {
  const doc = applyEdit(share, {
    type: 'insert',
    list: top,
    index: 0,
    value: { kind: 'read', local: 'status', expr: `${op.params[0].name}.state` },
  });
  const firstState = share.resources.find((r) => r.name === op.params[0].type)!.states[0].name;
  it('a require, if or assert after `read status = share.state` tests the local', () => {
    for (const kind of ['require', 'if', 'assert'] as const) {
      const step = newStep(kind, doc, doc.operations[opIndex], { list: top, index: 1 }) as { cond: string };
      expect(step.cond).toBe(`status == "${firstState}"`);
    }
  });
  it('finds the read from inside a nested block that comes after it', () => {
    const nested = applyEdit(doc, { type: 'insert', list: top, index: 1, value: { kind: 'if', cond: 'true', then: [] } });
    expect(localReadBefore(nested, { list: `${top}[1].then`, index: 0 })?.local).toBe('status');
    const step = newStep('require', nested, nested.operations[opIndex], { list: `${top}[1].then`, index: 0 }) as { cond: string };
    expect(step.cond).toBe(`status == "${firstState}"`);
    const placed = applyEdit(nested, { type: 'insert', list: `${top}[1].then`, index: 0, value: step });
    expect(validateModel(placed).ok).toBe(true);
  });
  it('without a read before it (or for await), the condition is on the shared state', () => {
    const param = op.params[0].name;
    expect((newStep('require', doc, doc.operations[opIndex], { list: top, index: 0 }) as { cond: string }).cond).toBe(`${param}.state == "${firstState}"`);
    expect((newStep('await', doc, doc.operations[opIndex], { list: top, index: 1 }) as { cond: string }).cond).toBe(`${param}.state == "${firstState}"`);
  });
  it('a call is named after the operation, not driver.call', () => {
    expect(newStep('call', share, share.operations[2])).toEqual({ kind: 'call', name: 'driver.delete_share' });
    expect(callNameFor({ name: 'create-snapshot', params: [], steps: [] })).toBe('driver.create_snapshot');
    expect(callNameFor({ name: 'deleteShare_copy_2', params: [], steps: [] })).toBe('driver.delete_share');
  });
  it('every new step validates where it is inserted', () => {
    for (const kind of ['read', 'require', 'if', 'await', 'assert', 'write', 'cas', 'call', 'abort', 'return'] as const) {
      const step = newStep(kind, doc, doc.operations[opIndex], { list: top, index: 1 });
      const next = applyEdit(doc, { type: 'insert', list: top, index: 1, value: step });
      const result = validateModel(next);
      expect(result.ok ? [] : result.issues.map((i) => `${kind}: ${i.path} ${i.message}`)).toEqual([]);
    }
    expect(getIn(doc, `${top}[0].local`)).toBe('status');
  });
});
