/**
 * A model with `update` and `repeat` steps for the codegen tests, analysed by hand: the document
 * is validated without them, then the analysed steps are put in as lib/model/analyzed.ts defines
 * them (the validator's update support lands separately; these tests do not wait for it).
 *
 *   deleteShare(share):   update share where state in [available, error]
 *                           filter noSnapshots: !any(n: Snapshot, n.share == share && n.state in [creating, available])
 *                           set state = deleting, previous = state          # Cinder's delete
 *   bumpVersion(share):   read v = share.version
 *                         update share where version == v, state != deleted
 *                           set version = version + 1, size = size + 1  onFail (failedAs why)   # race_preventer
 *   poll(share):          repeat { update share where state == deleting set state = deleted else skip } until share.state == deleted
 */
import { analyzeModel, type AnalyzedModel } from '@/lib/model';
import type { AnalyzedStep, LValue } from '@/lib/model/analyzed';
import type { Type, Typed } from '@/lib/model/expr/types';

export const SHARE_STATES = ['available', 'in_use', 'deleting', 'deleted', 'error'] as const;

export const UPDATE_DOCUMENT = {
  name: 'Conditional updates',
  resources: [
    {
      name: 'Share',
      states: [
        { name: 'available', kind: 'stable' },
        { name: 'in_use', kind: 'stable' },
        { name: 'deleting', kind: 'transitional' },
        { name: 'deleted', kind: 'terminal' },
        { name: 'error', kind: 'error' },
      ],
      initial: 'available',
      transitions: [
        { from: 'available', to: 'deleting' },
        { from: 'error', to: 'deleting' },
        { from: 'deleting', to: 'deleted' },
        { from: 'available', to: 'in_use' },
      ],
      fields: [
        { name: 'version', type: { kind: 'int', min: 0, max: 255 }, initial: 0 },
        { name: 'size', type: { kind: 'int', min: 0, max: 255 }, initial: 0 },
        { name: 'previous', type: { kind: 'enum', values: [...SHARE_STATES] }, initial: 'available' },
      ],
    },
    {
      name: 'Snapshot',
      states: [
        { name: 'absent', kind: 'stable' },
        { name: 'creating', kind: 'transitional' },
        { name: 'available', kind: 'stable' },
      ],
      initial: 'absent',
      transitions: [
        { from: 'absent', to: 'creating' },
        { from: 'creating', to: 'available' },
      ],
      fields: [{ name: 'share', type: { kind: 'ref', resource: 'Share' } }],
    },
  ],
  operations: ['deleteShare', 'bumpVersion', 'poll'].map((name) => ({
    name,
    params: [{ name: 'share', type: 'Share' }],
    steps: [{ kind: 'return' }],
  })),
};

const shareState: Type = { kind: 'enum', of: 'Share.state', values: [...SHARE_STATES] };
const snapState: Type = { kind: 'enum', of: 'Snapshot.state', values: ['absent', 'creating', 'available'] };
const previousType: Type = { kind: 'enum', of: 'Share.previous', values: [...SHARE_STATES] };
const INT: Type = { kind: 'int', min: 0, max: 255 };
const BOOL: Type = { kind: 'bool' };

const share: Typed = { kind: 'param', type: { kind: 'ref', resource: 'Share' }, name: 'share' };
const field = (object: Typed, resource: string, name: string, type: Type): Typed => ({ kind: 'field', type, object, resource, field: name });
const lv = (name: string, type: Type): LValue => ({ object: share, resource: 'Share', field: name, type });
const state = (name: (typeof SHARE_STATES)[number]): Typed => ({ kind: 'const', type: shareState, value: SHARE_STATES.indexOf(name) });
const base = (path: string, text: string, label?: string) => ({ path, where: path, text, ...(label ? { label } : {}) });

function deleteShare(op: number): AnalyzedStep {
  const n: Typed = { kind: 'qvar', type: { kind: 'ref', resource: 'Snapshot' }, name: 'n' };
  const hasSnap: Typed = {
    kind: 'quant',
    type: BOOL,
    quantifier: 'any',
    variable: 'n',
    resource: 'Snapshot',
    body: {
      kind: 'binary',
      type: BOOL,
      op: '&&',
      left: { kind: 'binary', type: BOOL, op: '==', left: field(n, 'Snapshot', 'share', { kind: 'ref', resource: 'Share' }), right: share },
      right: { kind: 'in', type: BOOL, value: field(n, 'Snapshot', 'state', snapState), items: [1, 2].map((v) => ({ kind: 'const', type: snapState, value: v })) },
    },
  };
  return {
    ...base(`operations[${op}].steps[0]`, 'update share where state in [available, error] filter noSnapshots set state = deleting, previous = state', 'mark-deleting'),
    kind: 'update',
    instance: share,
    resource: 'Share',
    expected: [{ target: lv('state', shareState), op: 'in', values: [state('available'), state('error')] }],
    filters: [{ name: 'noSnapshots', cond: { kind: 'not', type: BOOL, arg: hasSnap } }],
    set: [
      { target: lv('state', shareState), value: state('deleting') },
      // previous = state: an enum field set from the state (same member names).
      { target: lv('previous', previousType), value: field(share, 'Share', 'state', shareState) },
    ],
    else: 'abort',
    message: 'share is busy or has snapshots',
    conditions: ['state', 'noSnapshots'],
    failedAs: null,
    onFail: null,
  };
}

function bumpVersion(op: number): AnalyzedStep[] {
  const v: Typed = { kind: 'local', type: INT, name: 'v' };
  const one: Typed = { kind: 'const', type: INT, value: 1 };
  return [
    { ...base(`operations[${op}].steps[0]`, 'read v = share.version'), kind: 'read', local: 'v', expr: field(share, 'Share', 'version', INT) },
    {
      ...base(`operations[${op}].steps[1]`, 'update share where version == v, state != deleted set version = version + 1, size = size + 1', 'bump'),
      kind: 'update',
      instance: share,
      resource: 'Share',
      expected: [
        { target: lv('version', INT), op: '==', values: [v] },
        { target: lv('state', shareState), op: '!=', values: [state('deleted')] },
      ],
      filters: [],
      set: [
        { target: lv('version', INT), value: { kind: 'binary', type: INT, op: '+', left: field(share, 'Share', 'version', INT), right: one } },
        { target: lv('size', INT), value: { kind: 'binary', type: INT, op: '+', left: field(share, 'Share', 'size', INT), right: one } },
      ],
      else: 'abort',
      message: 'stale version',
      conditions: ['version', 'state'],
      failedAs: 'why',
      onFail: [{ ...base(`operations[${op}].steps[1].onFail[0]`, 'abort "lost the race"'), kind: 'abort', message: 'lost the race' }],
    },
  ];
}

function poll(op: number): AnalyzedStep {
  const inner: AnalyzedStep = {
    ...base(`operations[${op}].steps[0].steps[0]`, 'update share where state == deleting set state = deleted else skip', 'finish'),
    kind: 'update',
    instance: share,
    resource: 'Share',
    expected: [{ target: lv('state', shareState), op: '==', values: [state('deleting')] }],
    filters: [],
    set: [{ target: lv('state', shareState), value: state('deleted') }],
    else: 'skip',
    message: 'not deleting yet',
    conditions: ['state'],
    failedAs: null,
    onFail: null,
  };
  return {
    ...base(`operations[${op}].steps[0]`, 'repeat until share.state == deleted'),
    kind: 'repeat',
    steps: [inner],
    until: { kind: 'binary', type: BOOL, op: '==', left: field(share, 'Share', 'state', shareState), right: state('deleted') },
  };
}

/** The model, with its three operations' steps replaced by the analysed update and repeat steps. */
export function updateModel(): AnalyzedModel {
  const analyzed = analyzeModel(UPDATE_DOCUMENT);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  const model = analyzed.value;
  const ops = model.operations;
  ops.get('deleteShare')!.steps = [deleteShare(0)];
  ops.get('bumpVersion')!.steps = bumpVersion(1);
  ops.get('bumpVersion')!.locals.set('v', INT);
  ops.get('bumpVersion')!.locals.set('why', { kind: 'enum', of: 'bumpVersion.why', values: ['version', 'state'] });
  ops.get('poll')!.steps = [poll(2)];
  return model;
}
