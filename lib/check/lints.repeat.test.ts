/**
 * The lock lints over loops: what a round may leave held is held at the next
 * round's start and after the loop; an endless loop never finishes, so it
 * leaks nothing at the end.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Step } from '../model/schema';
import { lintModel } from './lints';

function lints(steps: Step[]) {
  const analyzed = analyzeModel({
    name: 'lints',
    resources: [{ name: 'R', states: [{ name: 'idle', kind: 'stable' }], initial: 'idle', transitions: [] }],
    locks: [{ name: 'G' }],
    operations: [{ name: 'op', params: [{ name: 'r', type: 'R' }], steps }],
    invariants: [],
    scenarios: [],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return lintModel(analyzed.value).filter((l) => l.code === 'lock-not-released' || l.code === 'lock-held-across-long-call');
}

describe('lock lints through repeat', () => {
  it('an acquire in a loop with a test, never released, is still held when the operation finishes', () => {
    const found = lints([{ kind: 'repeat', steps: [{ kind: 'acquire', lock: 'G' }], until: 'true' }]);
    expect(found.map((l) => [l.code, l.path])).toEqual([['lock-not-released', 'operations[0].steps[0].steps[0]']]);
  });

  it('a lock taken after the long call in one round is held across it in the next', () => {
    const found = lints([{ kind: 'repeat', steps: [{ kind: 'call', name: 'poll', long: true }, { kind: 'acquire', lock: 'G' }] }]);
    expect(found.map((l) => l.code)).toEqual(['lock-held-across-long-call']);
  });

  it('released within the round: nothing to report, with or without a test', () => {
    const round: Step[] = [{ kind: 'acquire', lock: 'G' }, { kind: 'release', lock: 'G' }, { kind: 'call', name: 'poll', long: true }];
    expect(lints([{ kind: 'repeat', steps: round, until: 'true' }])).toEqual([]);
    expect(lints([{ kind: 'repeat', steps: round }])).toEqual([]);
  });
});

describe('steps after an endless loop', () => {
  it('are reported as never running, at any depth', () => {
    const analyzed = analyzeModel({
      name: 'lints',
      resources: [{ name: 'R', states: [{ name: 'idle', kind: 'stable' }], initial: 'idle', transitions: [] }],
      locks: [],
      operations: [
        {
          name: 'op',
          params: [{ name: 'r', type: 'R' }],
          steps: [
            { kind: 'if', cond: 'true', then: [{ kind: 'repeat', steps: [{ kind: 'call', name: 'poll' }] }, { kind: 'call', name: 'never' }] },
            { kind: 'repeat', steps: [{ kind: 'call', name: 'poll' }], until: 'true' },
            { kind: 'call', name: 'after' },
          ],
        },
      ],
      invariants: [],
      scenarios: [],
    });
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    expect(lintModel(analyzed.value).filter((l) => l.code === 'after-endless-loop')).toEqual([
      {
        code: 'after-endless-loop',
        severity: 'warning',
        path: 'operations[0].steps[0].then[1]',
        message: 'op › step 1 (if) › step 2 (call) never runs: the loop before it (step 1 (if) › step 1 (repeat)) has no until, so it only ends by return or abort',
      },
    ]);
  });
});
