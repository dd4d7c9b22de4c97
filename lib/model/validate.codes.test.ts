/**
 * Issue codes: each kind of problem has its own code, and every code has one
 * line of meaning (ISSUE_CODES). The three refusals inside `atomic` used to share
 * LS212; a tool that filters or documents by code must be able to tell them apart.
 */
import { describe, expect, it } from 'vitest';
import { validateModel } from './validate';
import { ISSUE_CODES, type ModelIssue } from './issues';

const model = (steps: unknown[]) => ({
  name: 'codes',
  resources: [
    {
      name: 'R',
      states: [
        { name: 'idle', kind: 'stable' },
        { name: 'busy', kind: 'transitional' },
      ],
      initial: 'idle',
      transitions: [{ from: 'idle', to: 'busy' }],
    },
  ],
  locks: [{ name: 'L', key: 'R', fencing: true }],
  operations: [{ name: 'op', params: [{ name: 'r', type: 'R' }], steps }],
});

function issuesOf(steps: unknown[]): ModelIssue[] {
  const result = validateModel(model(steps));
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
}

describe('refusals inside atomic', () => {
  it('a step kind atomic cannot run is LS212', () => {
    expect(issuesOf([{ kind: 'atomic', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }] }])).toEqual([
      {
        path: 'operations[0].steps[0].steps[0].kind',
        message: "op › step 1 (atomic) › step 1 (acquire): 'acquire' cannot run inside atomic (only read, if, require, write, cas, update, assert, abort, return)",
        code: 'LS212',
      },
    ]);
  });

  it('onFail inside atomic is LS217', () => {
    const write = { kind: 'write', target: 'r.state', value: '"busy"', fencedBy: { lock: 'L', on: 'r' }, onFail: [{ kind: 'abort', message: 'x' }] };
    expect(issuesOf([{ kind: 'atomic', steps: [write] }])).toContainEqual({
      path: 'operations[0].steps[0].steps[0].onFail',
      message: 'op › step 1 (atomic) › step 1 (write): onFail is not allowed inside atomic (a rejected write rolls it back)',
      code: 'LS217',
    });
  });

  it("a cas that retries inside atomic is LS218", () => {
    expect(issuesOf([{ kind: 'atomic', steps: [{ kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'retry' }] }])).toEqual([
      {
        path: 'operations[0].steps[0].steps[0].else',
        message: "op › step 1 (atomic) › step 1 (cas): 'retry' cannot be used inside atomic; use abort or skip",
        code: 'LS218',
      },
    ]);
  });
});

describe('the code table', () => {
  it('gives every code one line of meaning, and no two codes the same meaning', () => {
    const meanings = Object.values(ISSUE_CODES);
    for (const meaning of meanings) expect(meaning).toMatch(/^[^\n]{10,}$/);
    expect(new Set(meanings).size).toBe(meanings.length);
  });
});
