/**
 * Defaults built on what the earlier steps say about each resource's state
 * (the newcomer's Manila model): a new write or cas moves the machine on, a
 * retargeted write takes a value its new target can hold, and a step changed
 * into a cas keeps its state check or its written value.
 */
import { describe, expect, it } from 'vitest';
import { validateModel, type ModelDocument, type Step } from '@/lib/model';
import { applyEdit } from './actions';
import { convertStep, knownStatesBefore, nestedStepCount, retargetWrite } from './step-context';
import { newStep } from './steps';

function manila(steps: Step[]): ModelDocument {
  const raw = {
    name: 'manila',
    resources: [
      {
        name: 'Share',
        states: [{ name: 'available', kind: 'stable' }, { name: 'snapshotting', kind: 'transitional' }, { name: 'deleting', kind: 'transitional' }, { name: 'deleted', kind: 'terminal' }],
        initial: 'available',
        transitions: [{ from: 'available', to: 'snapshotting' }, { from: 'snapshotting', to: 'available' }, { from: 'available', to: 'deleting' }, { from: 'deleting', to: 'deleted' }],
      },
      { name: 'Snapshot', states: [{ name: 'absent', kind: 'stable' }, { name: 'available', kind: 'stable' }], initial: 'absent', transitions: [{ from: 'absent', to: 'available' }], fields: [{ name: 'share', type: { kind: 'ref', resource: 'Share' } }] },
    ],
    locks: [],
    operations: [{ name: 'op', params: [{ name: 'share', type: 'Share' }, { name: 'snapshot', type: 'Snapshot' }], steps }],
    invariants: [],
    scenarios: [],
  };
  const result = validateModel(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const top = 'operations[0].steps';
const at = (index: number, list = top) => ({ list, index });

describe('known states before a step', () => {
  it('come from checks, writes and cas before it, the latest first, looking out of nested blocks', () => {
    const doc = manila([
      { kind: 'require', cond: 'share.state == "available"', message: 'm' },
      { kind: 'write', target: 'snapshot.state', value: '"available"' },
      { kind: 'atomic', steps: [{ kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' }, { kind: 'return' }] },
    ]);
    expect(knownStatesBefore(doc, at(1))).toEqual([{ param: 'share', state: 'available' }]);
    expect(knownStatesBefore(doc, at(3))).toEqual([{ param: 'share', state: 'deleting' }, { param: 'snapshot', state: 'available' }]);
    expect(knownStatesBefore(doc, at(1, `${top}[2].steps`))).toEqual([{ param: 'share', state: 'deleting' }, { param: 'snapshot', state: 'available' }]);
    expect(knownStatesBefore(doc, at(0))).toEqual([]);
  });
});

describe('a new write or cas continues the machine', () => {
  it('a write after "deleting" writes "deleted"; with nothing known it keeps the old default', () => {
    const doc = manila([{ kind: 'write', target: 'share.state', value: '"deleting"' }]);
    expect(newStep('write', doc, doc.operations[0], at(1))).toEqual({ kind: 'write', target: 'share.state', value: '"deleted"' });
    expect(newStep('write', doc, doc.operations[0], at(0))).toEqual({ kind: 'write', target: 'share.state', value: '"snapshotting"' });
  });

  it('hands a taken share back: after a cas to snapshotting and a snapshot made available, the write is share.state = "available"', () => {
    const doc = manila([
      { kind: 'cas', target: 'share.state', from: ['available'], to: 'snapshotting', else: 'abort' },
      { kind: 'write', target: 'snapshot.state', value: '"available"' },
    ]);
    const write = newStep('write', doc, doc.operations[0], at(2));
    expect(write).toEqual({ kind: 'write', target: 'share.state', value: '"available"' });
    expect(validateModel(applyEdit(doc, { type: 'insert', list: top, index: 2, value: write })).ok).toBe(true);
  });

  it('a cas after a status check takes the share from that state along its first transition', () => {
    const doc = manila([{ kind: 'require', cond: 'share.state == "available"', message: 'm' }]);
    expect(newStep('cas', doc, doc.operations[0], at(1))).toEqual({ kind: 'cas', target: 'share.state', from: ['available'], to: 'snapshotting', else: 'abort' });
  });
});

describe('a write given another target', () => {
  it('takes a value the new target can hold, from where the machine starts', () => {
    const doc = manila([{ kind: 'write', target: 'share.state', value: '"snapshotting"' }]);
    const step = doc.operations[0].steps[0] as Extract<Step, { kind: 'write' }>;
    expect(retargetWrite(doc, doc.operations[0], at(0), step, 'snapshot.state')).toEqual({ kind: 'write', target: 'snapshot.state', value: '"available"' });
  });

  it('keeps a value that is already one of the new target’s states, and anything typed for other targets', () => {
    const doc = manila([{ kind: 'write', target: 'share.state', value: '"available"' }]);
    const step = doc.operations[0].steps[0] as Extract<Step, { kind: 'write' }>;
    expect(retargetWrite(doc, doc.operations[0], at(0), step, 'snapshot.state').value).toBe('"available"');
    expect(retargetWrite(doc, doc.operations[0], at(0), step, 'snapshot.share').value).toBe('"available"');
    expect(retargetWrite(doc, doc.operations[0], at(0), step, 'snapsh').target).toBe('snapsh');
  });
});

describe('a step changed into another kind', () => {
  const convert = (doc: ModelDocument, index: number, kind: Step['kind']) => {
    const op = doc.operations[0];
    return convertStep(doc, op, op.steps[index], newStep(kind, doc, op, at(index)));
  };

  it('a state check becomes a cas from that state along its first transition, keeping its label and message', () => {
    const doc = manila([{ kind: 'require', label: 'check', cond: 'share.state == "available"', message: 'busy' }]);
    expect(convert(doc, 0, 'cas')).toEqual({ kind: 'cas', label: 'check', target: 'share.state', from: ['available'], to: 'snapshotting', else: 'abort', message: 'busy' });
  });

  it('a write of a state becomes a cas into it from the states that lead there', () => {
    const doc = manila([{ kind: 'write', target: 'share.state', value: '"deleting"' }]);
    expect(convert(doc, 0, 'cas')).toEqual({ kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' });
  });

  it('a cas becomes a write of its new value, or a check of its old one', () => {
    const doc = manila([{ kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' }]);
    expect(convert(doc, 0, 'write')).toEqual({ kind: 'write', target: 'share.state', value: '"deleting"' });
    expect(convert(doc, 0, 'require')).toMatchObject({ kind: 'require', cond: 'share.state == "available"' });
  });

  it('a check keeps its condition as another kind of check; a block keeps its body', () => {
    const doc = manila([
      { kind: 'require', cond: '!any(n: Snapshot, n.share == share)', message: 'm' },
      { kind: 'atomic', steps: [{ kind: 'return' }] },
    ]);
    expect(convert(doc, 0, 'await')).toEqual({ kind: 'await', cond: '!any(n: Snapshot, n.share == share)' });
    expect(convert(doc, 1, 'if')).toMatchObject({ kind: 'if', then: [{ kind: 'return' }] });
  });

  it('counts the nested steps a change would drop (the editor asks first)', () => {
    const doc = manila([{ kind: 'if', cond: 'true', then: [{ kind: 'atomic', steps: [{ kind: 'return' }] }], else: [{ kind: 'return' }] }]);
    const step = doc.operations[0].steps[0];
    expect(nestedStepCount(step)).toBe(3);
    expect(nestedStepCount(convert(doc, 0, 'atomic'))).toBe(2);
    expect(nestedStepCount(convert(doc, 0, 'require'))).toBe(0);
  });

  it('every conversion of a valid step into a cas or write still validates', () => {
    const doc = manila([
      { kind: 'require', cond: 'share.state == "available"', message: 'm' },
      { kind: 'write', target: 'share.state', value: '"deleting"' },
    ]);
    for (const index of [0, 1]) {
      for (const kind of ['cas', 'write', 'require', 'assert'] as const) {
        const next = applyEdit(doc, { type: 'set', path: `${top}[${index}]`, value: convert(doc, index, kind) });
        const result = validateModel(next);
        expect(result.ok ? [] : result.issues, `${index} → ${kind}`).toEqual([]);
      }
    }
  });
});
