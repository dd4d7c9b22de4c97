/**
 * Validation of the `update` step: every problem is an issue with a path into
 * the document, a message naming the operation and step, and its own code.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from './validate';
import type { ModelIssue } from './issues';
import type { AnalyzedStep } from './analyzed';

const model = (steps: unknown[]) => ({
  name: 'update',
  resources: [
    {
      name: 'Share',
      states: [
        { name: 'available', kind: 'stable' },
        { name: 'error', kind: 'error' },
        { name: 'deleting', kind: 'transitional' },
      ],
      initial: 'available',
      transitions: [
        { from: 'available', to: 'deleting' },
        { from: 'error', to: 'deleting' },
      ],
      fields: [
        { name: 'size', type: { kind: 'int', min: 0, max: 9 } },
        { name: 'busy', type: { kind: 'bool' } },
      ],
    },
    { name: 'Snapshot', states: [{ name: 'ready', kind: 'stable' }], initial: 'ready', transitions: [], fields: [{ name: 'share', type: { kind: 'ref', resource: 'Share' } }] },
  ],
  locks: [],
  operations: [{ name: 'deleteShare', params: [{ name: 'share', type: 'Share' }], steps }],
});

const update = (extra: Record<string, unknown> = {}) => ({
  kind: 'update',
  target: 'share',
  where: [{ field: 'state', op: 'in', value: '["available", "error"]' }],
  filters: [{ name: 'no_snapshots', cond: '!any(s: Snapshot, s.share == share)' }],
  set: [{ field: 'state', value: '"deleting"' }],
  ...extra,
});

function issuesOf(steps: unknown[]): ModelIssue[] {
  const result = analyzeModel(model(steps));
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
}

function analyzed(steps: unknown[]) {
  const result = analyzeModel(model(steps));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.operations.get('deleteShare')!;
}

describe('a valid update', () => {
  it('is analysed with its conditions in order, else abort by default', () => {
    const op = analyzed([update()]);
    const step = op.steps[0] as Extract<AnalyzedStep, { kind: 'update' }>;
    expect(step.kind).toBe('update');
    expect(step.resource).toBe('Share');
    expect(step.expected.map((w) => [w.target.field, w.op, w.values.length])).toEqual([['state', 'in', 2]]);
    expect(step.conditions).toEqual(['state', 'no_snapshots']);
    expect(step.else).toBe('abort');
    // The human path is kept (it is every step's `where`, not the conditions).
    expect(step.where).toBe('step 1 (update)');
    expect(step.text).toBe('update share set state = "deleting" where state in ["available", "error"] and no_snapshots: !any(s: Snapshot, s.share == share) else abort');
  });

  it('types failedAs as an enum over the condition names, readable in onFail', () => {
    const op = analyzed([
      update({ failedAs: 'why', onFail: [{ kind: 'if', cond: 'why == "no_snapshots"', then: [{ kind: 'abort', message: 'has snapshots' }] }] }),
    ]);
    expect(op.locals.get('why')).toEqual({ kind: 'enum', of: 'deleteShare.why', values: ['state', 'no_snapshots'] });
  });

  it('lets set values read the old row and locals', () => {
    expect(() => analyzed([{ kind: 'read', local: 'delta', expr: 'share.size' }, update({ set: [{ field: 'size', value: 'share.size - delta' }, { field: 'busy', value: 'share.state == "error"' }] })])).not.toThrow();
  });
});

describe('update problems, each with a path and its own code', () => {
  it('a where field the resource does not have (LS230, with a suggestion)', () => {
    expect(issuesOf([update({ where: [{ field: 'stat', op: '==', value: '"available"' }] })])).toEqual([
      { path: 'operations[0].steps[0].where[0].field', message: "deleteShare › step 1 (update): Share has no field 'stat'; did you mean 'state'?", code: 'LS230' },
    ]);
  });

  it('a set field the resource does not have (LS230)', () => {
    expect(issuesOf([update({ set: [{ field: 'sise', value: '1' }] })])).toEqual([
      { path: 'operations[0].steps[0].set[0].field', message: "deleteShare › step 1 (update): Share has no field 'sise'; did you mean 'size'?", code: 'LS230' },
    ]);
  });

  it('a misspelt state in a where list names the column and suggests the state (LS301)', () => {
    expect(issuesOf([update({ where: [{ field: 'state', op: 'in', value: '["available", "eror"]' }] })])).toEqual([
      {
        path: 'operations[0].steps[0].where[0].value',
        message: "deleteShare › step 1 (update) › where[0].value col 15: unknown state 'eror' of Share; did you mean 'error'?",
        code: 'LS301',
        column: 15,
      },
    ]);
  });

  it('a value of the wrong type (LS301)', () => {
    const issues = issuesOf([update({ set: [{ field: 'size', value: 'true' }] })]);
    expect(issues).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].set[0].value', code: 'LS301' })]);
    expect(issues[0].message).toBe('deleteShare › step 1 (update) › set[0].value col 1: expected int 0..9 but this is bool');
  });

  it('a filter that is not a condition (LS301)', () => {
    expect(issuesOf([update({ filters: [{ name: 'f', cond: 'share.size' }] })])).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].filters[0].cond', code: 'LS301' })]);
  });

  it('a target that is not an instance (LS301)', () => {
    expect(issuesOf([update({ target: 'share.size' })])).toEqual([
      expect.objectContaining({ path: 'operations[0].steps[0].target', code: 'LS301', message: expect.stringContaining('the target must denote an instance') }),
    ]);
  });

  it('in without a list, == with one (LS232)', () => {
    expect(issuesOf([update({ where: [{ field: 'state', op: 'in', value: '"available"' }] })])).toEqual([
      { path: 'operations[0].steps[0].where[0].value', message: 'deleteShare › step 1 (update) › where[0].value: \'in\' needs a list, as in ["available", "error"]', code: 'LS232' },
    ]);
    expect(issuesOf([update({ where: [{ field: 'state', op: '==', value: '["available"]' }] })])[0].code).toBe('LS232');
  });

  it('else and onFail together (LS233)', () => {
    expect(issuesOf([update({ else: 'skip', onFail: [{ kind: 'return' }] })])).toEqual([
      { path: 'operations[0].steps[0].else', message: "deleteShare › step 1 (update): give either 'else' (abort, skip, retry) or an 'onFail' block, not both", code: 'LS233' },
    ]);
  });

  it('two conditions with one name (LS234)', () => {
    const issues = issuesOf([update({ filters: [{ name: 'state', cond: 'true' }] })]);
    expect(issues).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].filters[0].name', code: 'LS234' })]);
  });

  it('failedAs without onFail (LS235)', () => {
    expect(issuesOf([update({ failedAs: 'why' })])).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].failedAs', code: 'LS235' })]);
  });

  it('failedAs named like a parameter (LS236)', () => {
    expect(issuesOf([update({ failedAs: 'share', onFail: [{ kind: 'return' }] })])).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].failedAs', code: 'LS236' })]);
  });

  it('failedAs is not in scope after the update', () => {
    const issues = issuesOf([update({ failedAs: 'why', onFail: [{ kind: 'return' }] }), { kind: 'require', cond: 'why == "state"' }]);
    expect(issues).toEqual([expect.objectContaining({ path: 'operations[0].steps[1].cond', code: 'LS301', message: expect.stringContaining("unknown name 'why'") })]);
  });

  it('a field set twice (LS237)', () => {
    expect(issuesOf([update({ set: [{ field: 'size', value: '1' }, { field: 'size', value: '2' }] })])).toEqual([
      expect.objectContaining({ path: 'operations[0].steps[0].set[1].field', code: 'LS237' }),
    ]);
  });

  it('retry or onFail inside atomic (LS238), while abort and skip are fine there', () => {
    expect(issuesOf([{ kind: 'atomic', steps: [update({ else: 'retry' })] }])).toEqual([
      expect.objectContaining({ path: 'operations[0].steps[0].steps[0].else', code: 'LS238' }),
    ]);
    expect(issuesOf([{ kind: 'atomic', steps: [update({ onFail: [{ kind: 'return' }] })] }])).toEqual([
      expect.objectContaining({ path: 'operations[0].steps[0].steps[0].onFail', code: 'LS238' }),
    ]);
    expect(() => analyzed([{ kind: 'atomic', steps: [update({ else: 'skip' })] }])).not.toThrow();
  });

  it('an update that sets nothing is refused by the schema (LS101)', () => {
    expect(issuesOf([update({ set: [] })])).toEqual([expect.objectContaining({ path: 'operations[0].steps[0].set', code: 'LS101', message: 'an update sets at least one field' })]);
  });
});

describe("an enum field keeping a state (Cinder's previous_status = status)", () => {
  const withPrevious = (values: string[], steps: unknown[]) => {
    const doc = model(steps);
    doc.resources[0].fields!.push({ name: 'previous', type: { kind: 'enum', values } } as never);
    return analyzeModel(doc);
  };

  it('accepts the state when the field lists exactly the states, in order', () => {
    const result = withPrevious(['available', 'error', 'deleting'], [update({ set: [{ field: 'previous', value: 'share.state' }, { field: 'state', value: '"deleting"' }] })]);
    expect(result.ok).toBe(true);
  });

  it('refuses it otherwise, saying why', () => {
    const result = withPrevious(['available', 'deleting', 'error'], [update({ set: [{ field: 'previous', value: 'share.state' }, { field: 'state', value: '"deleting"' }] })]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0].path).toBe('operations[0].steps[0].set[0].value');
    expect(result.issues[0].message).toContain('only when it lists the same members in the same order');
  });
});
