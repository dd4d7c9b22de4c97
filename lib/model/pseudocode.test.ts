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
  atomic: { kind: 'atomic', label: 'L-atomic', steps: [{ kind: 'abort', message: 'm-atomic' }] },
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
  it('shows a cas’s abort message, and nothing extra without one', () => {
    expect(stepText(FULL.cas)).toBe('cas share.state: [x5, x6] -> x7 else abort "m-cas"');
    expect(stepText({ kind: 'cas', target: 'share.state', from: ['available'], to: 'deleting', else: 'abort' })).toBe('cas share.state: [available] -> deleting else abort');
  });
});
