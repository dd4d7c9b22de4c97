/**
 * The editor's new `update` step: it validates where it is inserted, moves
 * the state along a transition of the machine (no lint), and the rows the
 * form adds keep it valid.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, validateModel } from '@/lib/model';
import { lintModel } from '@/lib/check/lints';
import { applyEdit } from './actions';
import { newStep, STEP_HELP, STEP_KINDS } from './steps';
import { loadExample } from './fixtures';
import { getIn } from './path';
import { stateReferences } from './references';
import type { Step } from '@/lib/model';

const share = loadExample();
const opIndex = share.operations.findIndex((o) => o.name === 'deleteShareNaive');
const top = `operations[${opIndex}].steps`;

describe('a new update step', () => {
  it('is offered with its help text', () => {
    expect(STEP_KINDS).toContain('update');
    expect(STEP_HELP.update).toMatch(/conditional_update/);
  });

  it('validates where it is inserted and sets a state along a transition', () => {
    const step = newStep('update', share, share.operations[opIndex], { list: top, index: 1 });
    const resource = share.resources.find((r) => r.name === share.operations[opIndex].params[0].type)!;
    const edge = resource.transitions[0];
    expect(step).toEqual({
      kind: 'update',
      target: share.operations[opIndex].params[0].name,
      where: [{ field: 'state', op: '==', value: `"${edge.from}"` }],
      set: [{ field: 'state', value: `"${edge.to}"` }],
    });
    const next = applyEdit(share, { type: 'insert', list: top, index: 1, value: step });
    const analyzed = analyzeModel(next);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    expect(lintModel(analyzed.value).filter((l) => l.path.startsWith(`${top}[1]`))).toEqual([]);
  });

  it('stays valid with a filter and an onFail block whose failedAs names the failed condition', () => {
    const step = newStep('update', share, share.operations[opIndex], { list: top, index: 0 });
    let doc = applyEdit(share, { type: 'insert', list: top, index: 0, value: step });
    doc = applyEdit(doc, { type: 'set', path: `${top}[0].filters`, value: [{ name: 'filter1', cond: 'true' }] });
    doc = applyEdit(doc, { type: 'set', path: `${top}[0].onFail`, value: [{ kind: 'if', cond: 'why == "filter1"', then: [{ kind: 'return' }] }] });
    doc = applyEdit(doc, { type: 'set', path: `${top}[0].failedAs`, value: 'why' });
    const result = validateModel(doc);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('follows a renamed state in its where list and set value', () => {
    const step = newStep('update', share, share.operations[opIndex], { list: top, index: 0 }) as Extract<Step, { kind: 'update' }>;
    const doc = applyEdit(share, { type: 'insert', list: top, index: 0, value: step });
    const r = doc.resources.findIndex((x) => x.name === doc.operations[opIndex].params[0].type);
    const from = doc.resources[r].transitions[0].from;
    const renamed = applyEdit(doc, { type: 'renameState', resource: r, from, to: `${from}_renamed` });
    const after = getIn(renamed, `${top}[0]`) as Extract<Step, { kind: 'update' }>;
    expect(after.where[0].value).toBe(`"${from}_renamed"`);
    expect(validateModel(renamed).ok).toBe(true);
  });

  it('is found by a state’s references even when the model has other problems (the textual fallback)', () => {
    const step = newStep('update', share, share.operations[opIndex], { list: top, index: 0 }) as Extract<Step, { kind: 'update' }>;
    let doc = applyEdit(share, { type: 'insert', list: top, index: 0, value: step });
    const r = doc.resources.findIndex((x) => x.name === doc.operations[opIndex].params[0].type);
    const state = doc.resources[r].transitions[0].from;
    // A broken transition elsewhere stops validation before expressions: references fall back to the text.
    doc = applyEdit(doc, { type: 'set', path: `resources[${r}].transitions[0].to`, value: 'nowhere' });
    expect(stateReferences(doc, r, state).map((ref) => ref.path)).toContain(`${top}[0].where[0].value`);
  });
});
