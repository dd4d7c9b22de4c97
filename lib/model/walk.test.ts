/**
 * The step walker: one navigation for the document's steps, for steps not yet
 * validated (the editor's working copy), and for the analyzed steps the checker
 * compiles — all three must agree on where nested steps are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from './validate';
import { forEachAnalyzedStep } from './analyzed';
import type { Step } from './schema';
import { childBlocks, everyStepKind, forEachStep, forEachUncheckedStep, isStepKind, mapUncheckedSteps, uncheckedBlocks } from './walk';

const examplesDir = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir).map((file) => JSON.parse(readFileSync(join(examplesDir, file), 'utf8')));

const format = (path: Array<string | number>) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

describe('one navigation for documents and analyzed steps', () => {
  it('the analyzed steps of every example are visited at the same paths, in the same order, as the document steps', () => {
    for (const example of examples) {
      const analyzed = analyzeModel(example);
      if (!analyzed.ok) throw new Error(`example ${example.name} is invalid`);
      analyzed.value.document.operations.forEach((op, i) => {
        const fromDocument: string[] = [];
        forEachStep(op.steps, (_, path) => fromDocument.push(`operations[${i}].steps${format(path)}`));
        const fromAnalyzed: string[] = [];
        forEachAnalyzedStep(analyzed.value.operations.get(op.name)!.steps, (step) => fromAnalyzed.push(step.path));
        expect(fromAnalyzed).toEqual(fromDocument);
        const fromUnchecked: string[] = [];
        forEachUncheckedStep(op.steps, (_, path) => fromUnchecked.push(`operations[${i}].steps${format(path)}`));
        expect(fromUnchecked).toEqual(fromDocument);
      });
    }
  });
});

describe('steps of a document still being edited', () => {
  it('a missing required block is skipped, not crashed on', () => {
    const half = { kind: 'if', cond: 'true' } as unknown as Step;
    expect(childBlocks(half)).toEqual([]);
    const seen: string[] = [];
    forEachStep([half, { kind: 'return' }], (step) => seen.push(step.kind));
    expect(seen).toEqual(['if', 'return']);
  });

  it('a known kind is looked into only under its own block keys; an unknown kind under every block key', () => {
    const nested = [{ kind: 'return' }];
    expect(uncheckedBlocks({ kind: 'read', then: nested })).toEqual([]);
    expect(uncheckedBlocks({ kind: 'if', then: nested, else: 'no' })).toEqual([['then', nested]]);
    expect(uncheckedBlocks({ kind: 'iff', steps: nested, onFail: nested })).toEqual([
      ['steps', nested],
      ['onFail', nested],
    ]);
  });

  it('never throws on values that are not steps', () => {
    for (const junk of [null, undefined, 0, 'if', [], [[]], { kind: null }, { kind: 'with', steps: 'x' }]) {
      expect(uncheckedBlocks(junk)).toEqual([]);
      expect(() => forEachUncheckedStep(junk, () => {})).not.toThrow();
      expect(() => forEachUncheckedStep([junk], () => {})).not.toThrow();
    }
  });

  it('rewrites top-down: the rewrite sees a step before its blocks, and the blocks of what it returned are rewritten', () => {
    const seen: string[] = [];
    const out = mapUncheckedSteps([{ kind: 'with', lock: 'A', steps: [{ kind: 'release', lock: 'A' }] }], (step) => {
      seen.push(String(step.kind));
      return step.lock === 'A' ? { ...step, lock: 'B' } : step;
    });
    expect(seen).toEqual(['with', 'release']);
    expect(out).toEqual([{ kind: 'with', lock: 'B', steps: [{ kind: 'release', lock: 'B' }] }]);
  });
});

describe('step kinds', () => {
  it('knows the kinds the schema has, and nothing else', () => {
    expect(isStepKind('cas')).toBe(true);
    expect(isStepKind('toString')).toBe(false);
    expect(isStepKind('CAS')).toBe(false);
  });

  it('a list that must offer every kind does not compile with one left out', () => {
    // @ts-expect-error -- 'return' is missing: `npx tsc` fails if this line stops being an error.
    const partial = everyStepKind(['read', 'if', 'await', 'require', 'write', 'cas', 'atomic', 'acquire', 'release', 'with', 'call', 'assert', 'abort']);
    expect(partial).toHaveLength(13);
  });
});
