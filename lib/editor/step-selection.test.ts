/** Selecting steps: a click selects one, Shift+click a run of siblings; "Wrap in atomic" puts the run in one block. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from './actions';
import { clickStep, isSelected, lastSelected, selectedRun } from './step-selection';
import { reduce, initialState } from './store';
import { loadExample } from './fixtures';

const none = { step: null, stepTo: null };

describe('step selection', () => {
  it('a click selects one step; Shift+click extends the run in the same list, in either direction', () => {
    const one = clickStep(none, 'operations[0].steps[3]', false);
    expect(selectedRun(one)).toEqual({ list: 'operations[0].steps', from: 3, to: 3 });
    const run = clickStep(one, 'operations[0].steps[1]', true);
    expect(selectedRun(run)).toEqual({ list: 'operations[0].steps', from: 1, to: 3 });
    expect(lastSelected(run)).toBe('operations[0].steps[3]');
    expect(isSelected(selectedRun(run), 'operations[0].steps[2]')).toBe(true);
    expect(isSelected(selectedRun(run), 'operations[0].steps[4]')).toBe(false);
    expect(isSelected(selectedRun(run), 'operations[0].steps[2].then[0]')).toBe(false);
  });

  it('Shift+click into another block, or with nothing selected, selects just the clicked step', () => {
    expect(clickStep(none, 'operations[0].steps[2]', true)).toEqual({ step: 'operations[0].steps[2]', stepTo: null });
    const nested = clickStep({ step: 'operations[0].steps[0]', stepTo: null }, 'operations[0].steps[2].then[0]', true);
    expect(nested).toEqual({ step: 'operations[0].steps[2].then[0]', stepTo: null });
  });

  it('selecting one step in the store ends a run; an edit that shifts paths forgets it', () => {
    const doc = loadExample();
    let state = reduce(initialState(doc), { type: 'view', view: { step: 'operations[0].steps[0]', stepTo: 'operations[0].steps[1]' } });
    expect(selectedRun(state.view)).toEqual({ list: 'operations[0].steps', from: 0, to: 1 });
    state = reduce(state, { type: 'view', view: { step: 'operations[0].steps[2]' } });
    expect(state.view.stepTo).toBeNull();
    state = reduce(state, { type: 'view', view: { step: 'operations[0].steps[0]', stepTo: 'operations[0].steps[1]' } });
    state = reduce(state, { type: 'edit', action: { type: 'remove', list: 'operations[0].steps', index: 0 } });
    expect(state.view).toMatchObject({ step: null, stepTo: null });
  });
});

describe('wrap in atomic', () => {
  it('puts the run in one atomic block where it was, the rest untouched; out of range changes nothing', () => {
    const doc = loadExample();
    const steps = doc.operations[0].steps;
    const next = applyEdit(doc, { type: 'wrapInAtomic', list: 'operations[0].steps', from: 0, to: 1 });
    expect(next.operations[0].steps).toEqual([{ kind: 'atomic', steps: steps.slice(0, 2) }, ...steps.slice(2)]);
    expect(applyEdit(doc, { type: 'wrapInAtomic', list: 'operations[0].steps', from: 0, to: steps.length })).toBe(doc);
  });
});
