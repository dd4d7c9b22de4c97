/**
 * The editor's `repeat` step and the acquire timeout: offered with help, a
 * new loop validates where it is inserted (and keeps validating as a daemon
 * once its test is emptied), and the loop's body is an ordinary nested block.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, isDaemon, validateModel } from '@/lib/model';
import { applyEdit } from './actions';
import { blocksOf, newStep, STEP_HELP, STEP_KINDS } from './steps';
import { loadExample } from './fixtures';

const share = loadExample();
const opIndex = share.operations.findIndex((o) => o.name === 'deleteShareNaive');
const top = `operations[${opIndex}].steps`;

describe('a new repeat step', () => {
  it('is offered with its help text, its body as the block "each round"', () => {
    expect(STEP_KINDS).toContain('repeat');
    expect(STEP_HELP.repeat).toMatch(/until/);
    expect(blocksOf('repeat')).toEqual([{ key: 'steps', label: 'each round', optional: false }]);
  });

  it('validates where it is inserted: a poller that reads the state until it is the first one', () => {
    const op = share.operations[opIndex];
    const step = newStep('repeat', share, op, { list: top, index: 1 });
    expect(step).toEqual({ kind: 'repeat', steps: [{ kind: 'read', local: 'status', expr: `${op.params[0].name}.state` }], until: expect.stringMatching(/^status == "/) });
    const next = applyEdit(share, { type: 'insert', list: top, index: 1, value: step });
    const result = validateModel(next);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('emptying its test makes the operation a daemon, still valid', () => {
    const op = share.operations[opIndex];
    const inserted = applyEdit(share, { type: 'insert', list: top, index: 1, value: newStep('repeat', share, op, { list: top, index: 1 }) });
    const forever = applyEdit(inserted, { type: 'set', path: `${top}[1].until`, value: undefined });
    const analyzed = analyzeModel(forever);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    expect(isDaemon(forever.operations[opIndex])).toBe(true);
    expect(isDaemon(inserted.operations[opIndex])).toBe(false);
  });
});

describe('an acquire timeout set in the form', () => {
  it('validates with an else block, and is refused beside try', () => {
    const lockDoc = { ...share, locks: [{ name: 'cache' }] };
    const op = lockDoc.operations[opIndex];
    const acquire = { ...newStep('acquire', lockDoc, op), timeout: 3, else: [{ kind: 'return' as const }] };
    const withTimeout = applyEdit(lockDoc, { type: 'insert', list: top, index: 0, value: acquire });
    expect(validateModel(withTimeout).ok).toBe(true);
    const both = applyEdit(withTimeout, { type: 'set', path: `${top}[0].try`, value: true });
    const result = validateModel(both);
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toContain('LS240');
  });
});
