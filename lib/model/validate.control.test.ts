/**
 * Validation of the control constructs: `repeat … until`, `acquire … timeout`
 * and the `heartbeat` field option. Each problem names its path and has its
 * own code (LS240–LS242).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, validateModel } from './validate';
import type { ModelIssue } from './issues';

const R = {
  name: 'R',
  states: [{ name: 'idle', kind: 'stable' }],
  initial: 'idle',
  transitions: [],
  fields: [
    { name: 'alive', type: { kind: 'bool' } },
    { name: 'n', type: { kind: 'int', min: 0, max: 2 } },
  ],
};

function doc(steps: unknown[], extra: { resources?: unknown[]; locks?: unknown[]; scenarioLocks?: unknown } = {}) {
  return {
    name: 'control',
    resources: extra.resources ?? [R],
    locks: extra.locks ?? [{ name: 'L', key: 'R' }, { name: 'F', fencing: true }],
    operations: [{ name: 'op', params: [{ name: 'r', type: 'R' }], steps }],
    invariants: [],
    scenarios: [
      {
        name: 's',
        instances: [{ name: 'r1', type: 'R' }],
        processes: [{ operation: 'op', args: { r: 'r1' } }],
        ...(extra.scenarioLocks ? { locks: extra.scenarioLocks } : {}),
      },
    ],
  };
}

function issuesOf(input: unknown): ModelIssue[] {
  const result = validateModel(input);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
}

describe('repeat', () => {
  it('accepts a loop with a test that reads what the body read, and one without a test', () => {
    const analyzed = analyzeModel(
      doc([
        { kind: 'repeat', steps: [{ kind: 'read', local: 'x', expr: 'r.n' }], until: 'x == 2' },
        { kind: 'repeat', steps: [{ kind: 'write', target: 'r.alive', value: 'true' }] },
      ]),
    );
    expect(analyzed.ok).toBe(true);
    if (!analyzed.ok) return;
    const [loop, daemon] = analyzed.value.operations.get('op')!.steps;
    expect(loop.kind === 'repeat' && loop.until !== null).toBe(true);
    expect(daemon.kind === 'repeat' && daemon.until === null).toBe(true);
  });

  it('an until that is not a bool names the column', () => {
    expect(issuesOf(doc([{ kind: 'repeat', steps: [{ kind: 'return' }], until: 'r.n' }]))).toEqual([
      { path: 'operations[0].steps[0].until', message: 'op › step 1 (repeat) › until col 1: expected bool but this is int 0..2', code: 'LS301', column: 1 },
    ]);
  });

  it('an empty body is a structure error', () => {
    expect(issuesOf(doc([{ kind: 'repeat', steps: [] }]))[0]).toMatchObject({ path: 'operations[0].steps[0].steps', code: 'LS101' });
  });

  it('cannot run inside atomic (a transaction cannot loop)', () => {
    expect(issuesOf(doc([{ kind: 'atomic', steps: [{ kind: 'repeat', steps: [{ kind: 'return' }] }] }]))[0]).toMatchObject({
      path: 'operations[0].steps[0].steps[0].kind',
      code: 'LS212',
    });
  });

  it('a lock handing out fencing tokens acquired inside a loop is LS242 (each round a new token: no end to the states)', () => {
    expect(issuesOf(doc([{ kind: 'repeat', steps: [{ kind: 'with', lock: 'F', steps: [{ kind: 'return' }] }] }]))).toEqual([
      {
        path: 'operations[0].steps[0].steps[0].lock',
        message:
          "op › step 1 (repeat) › step 1 (with): lock 'F' hands out fencing tokens and is acquired inside a repeat: every round takes a new token, so the states never repeat; set fencing: false on the lock, or fence with a version counter (an update step)",
        code: 'LS242',
      },
    ]);
    // Without tokens the same loop is fine.
    expect(validateModel(doc([{ kind: 'repeat', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'return' }] }] }])).ok).toBe(true);
  });

  it('so is a scenario that gives such a lock a backend with tokens', () => {
    const issues = issuesOf(
      doc([{ kind: 'repeat', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'release', lock: 'L', on: 'r' }] }], { scenarioLocks: { L: { backend: 'etcd' } } }),
    );
    expect(issues).toEqual([
      {
        path: 'scenarios[0].locks.L',
        message: "scenario s: lock 'L' hands out fencing tokens here and is acquired inside a repeat (operations[0].steps[0].steps[0]): every round takes a new token, so the states never repeat",
        code: 'LS242',
      },
    ]);
  });
});

describe('acquire timeout', () => {
  it('takes an else, like a try-acquire', () => {
    expect(validateModel(doc([{ kind: 'acquire', lock: 'L', on: 'r', timeout: 2.5, else: [{ kind: 'return' }] }])).ok).toBe(true);
  });

  it('with try is LS240', () => {
    expect(issuesOf(doc([{ kind: 'acquire', lock: 'L', on: 'r', try: true, timeout: 3 }]))).toEqual([
      { path: 'operations[0].steps[0].timeout', message: "op › step 1 (acquire): 'timeout' and 'try' together: a try-acquire never waits; drop one", code: 'LS240' },
    ]);
  });

  it('must be more than 0 seconds', () => {
    expect(issuesOf(doc([{ kind: 'acquire', lock: 'L', on: 'r', timeout: 0 }]))).toEqual([
      { path: 'operations[0].steps[0].timeout', message: 'timeout is in seconds and must be more than 0', code: 'LS101' },
    ]);
  });

  it('an else without try or timeout is still LS215', () => {
    expect(issuesOf(doc([{ kind: 'acquire', lock: 'L', on: 'r', else: [{ kind: 'return' }] }]))[0]).toMatchObject({ path: 'operations[0].steps[0].else', code: 'LS215' });
  });
});

describe('heartbeat fields', () => {
  it('a bool field may be a heartbeat', () => {
    const resources = [{ ...R, fields: [{ name: 'alive', type: { kind: 'bool' }, heartbeat: true }] }];
    expect(validateModel(doc([{ kind: 'return' }], { resources })).ok).toBe(true);
  });

  it('any other type is LS241', () => {
    const resources = [{ ...R, fields: [{ name: 'n', type: { kind: 'int', min: 0, max: 2 }, heartbeat: true }] }];
    expect(issuesOf(doc([{ kind: 'return' }], { resources }))).toEqual([
      { path: 'resources[0].fields[0].heartbeat', message: 'R.n: only a bool field can be a heartbeat (it is int)', code: 'LS241' },
    ]);
  });
});
