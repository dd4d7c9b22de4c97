import { describe, expect, it } from 'vitest';
import { operationText, stepText } from './pseudocode';
import type { Step } from './schema';
import type { StepKind } from './walk';

/** One step of every kind with every optional field filled, each value distinct so it can be found in the text. */
const FULL: { [K in StepKind]: Extract<Step, { kind: K }> } = {
  read: { kind: 'read', label: 'L-read', local: 'seen', expr: 'share.state' },
  if: { kind: 'if', label: 'L-if', cond: 'seen == "x1"', then: [{ kind: 'return' }], else: [{ kind: 'abort', message: 'm-else' }] },
  await: { kind: 'await', label: 'L-await', cond: 'share.state == "x2"' },
  require: { kind: 'require', label: 'L-require', cond: 'seen != "x3"', message: 'm-require' },
  write: { kind: 'write', label: 'L-write', target: 'share.state', value: '"x4"', fencedBy: { lock: 'lk-fence', on: 'share' }, onFail: [{ kind: 'abort', message: 'm-write-fail' }] },
  cas: { kind: 'cas', label: 'L-cas', target: 'share.state', from: ['x5', 'x6'], to: 'x7', else: 'abort', message: 'm-cas' },
  update: {
    kind: 'update',
    label: 'L-update',
    target: 'share',
    where: [{ field: 'state', op: 'not in', value: '["x9", "x10"]' }, { field: 'size', op: '!=', value: '11' }],
    filters: [{ name: 'no_snaps', cond: '!any(s: Snap, s.share == share)' }],
    set: [{ field: 'state', value: '"x12"' }, { field: 'size', value: 'share.size + 13' }],
    else: 'skip',
    message: 'm-update',
    failedAs: 'why-update',
    onFail: [{ kind: 'abort', message: 'm-update-fail' }],
  },
  atomic: { kind: 'atomic', label: 'L-atomic', steps: [{ kind: 'abort', message: 'm-atomic' }] },
  repeat: { kind: 'repeat', label: 'L-repeat', steps: [{ kind: 'abort', message: 'm-repeat' }], until: 'seen == "x14"' },
  acquire: { kind: 'acquire', label: 'L-acquire', lock: 'lk-acq', on: 'share', shared: true, try: true, else: [{ kind: 'abort', message: 'm-taken' }] },
  release: { kind: 'release', label: 'L-release', lock: 'lk-rel', on: 'snap' },
  with: { kind: 'with', label: 'L-with', lock: 'lk-with', on: 'share', shared: true, steps: [{ kind: 'abort', message: 'm-with' }] },
  call: { kind: 'call', label: 'L-call', name: 'driver.delete_share', long: true, mayFail: true, onFail: [{ kind: 'abort', message: 'm-call-fail' }] },
  assert: { kind: 'assert', label: 'L-assert', cond: 'seen == "x8"', message: 'm-assert' },
  abort: { kind: 'abort', label: 'L-abort', message: 'm-abort' },
  return: { kind: 'return', label: 'L-return' },
};

/** Every value in a step that the text must show: strings, numbers, and a word for each `true` flag. */
function shownValues(value: unknown, key = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => shownValues(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === 'kind' ? [] : shownValues(v, k)));
  if (value === true) return [key === 'mayFail' ? 'mayFail' : key];
  return [String(value)];
}

describe('pseudo-code', () => {
  it.each(Object.keys(FULL) as StepKind[])('shows every field of a %s step', (kind) => {
    const text = operationText({ name: 'op', params: [{ name: 'share', type: 'Share' }], steps: [FULL[kind]] });
    for (const v of shownValues(FULL[kind])) expect(text, `${kind}: ${v}`).toContain(v);
  });
  it('shows an update as one line: set, where conditions and filters joined by and, then what happens on no match', () => {
    expect(
      stepText({
        kind: 'update',
        target: 'share',
        where: [{ field: 'state', op: 'in', value: '["available", "error"]' }],
        filters: [{ name: 'no_snapshots', cond: '!any(s: Snapshot, s.share == share)' }],
        set: [{ field: 'state', value: '"deleting"' }, { field: 'size', value: 'share.size - 1' }],
        message: 'share is busy',
      }),
    ).toBe('update share set state = "deleting", size = share.size - 1 where state in ["available", "error"] and no_snapshots: !any(s: Snapshot, s.share == share) else abort "share is busy"');
    // With onFail the block is shown below the line (operationText), and failedAs names the local.
    const onFail = { kind: 'update' as const, target: 'job', where: [{ field: 'version', op: '==' as const, value: 'v' }], set: [{ field: 'version', value: 'v + 1' }], failedAs: 'why', onFail: [{ kind: 'return' as const }] };
    expect(stepText(onFail)).toBe('update job set version = v + 1 where version == v failedAs why');
    expect(operationText({ name: 'op', params: [], steps: [onFail] })).toBe('op()\n  update job set version = v + 1 where version == v failedAs why\n  onFail {\n    return\n  }');
  });
  it('shows a loop as written: repeat { … } until cond, or repeat forever { … }', () => {
    const body = [{ kind: 'call' as const, name: 'poll' }];
    expect(operationText({ name: 'op', params: [], steps: [{ kind: 'repeat', steps: body, until: 'done' }] })).toBe('op()\n  repeat {\n    call poll\n  } until done');
    expect(operationText({ name: 'op', params: [], steps: [{ kind: 'repeat', steps: body }] })).toBe('op()\n  repeat forever {\n    call poll\n  }');
    expect(stepText({ kind: 'repeat', steps: body, until: 'done' })).toBe('repeat until done');
  });
  it('shows an acquire’s timeout in seconds', () => {
    expect(stepText({ kind: 'acquire', lock: 'cache', timeout: 2.5, else: [{ kind: 'return' }] })).toBe('acquire cache timeout 2.5s');
  });
  it('shows a cas’s abort message, and nothing extra without one', () => {
    expect(stepText(FULL.cas)).toBe('cas share.state: [x5, x6] -> x7 else abort "m-cas"');
    expect(stepText({ kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' })).toBe('cas share.state: [available] -> deleting else abort');
  });
});
