import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, type StateView } from '@/lib/check';
import { analyze } from '@/lib/check/replay';
import type { AnalyzedModel } from '@/lib/model';
import { explainFalse, explainViolationValues } from './explain';

function load(example: string, edit?: (doc: any) => void): AnalyzedModel {
  const doc = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', `${example}.json`), 'utf8'));
  edit?.(doc);
  const analyzed = analyze(doc);
  if (!analyzed.ok) throw new Error(`${example} invalid: ${analyzed.issues[0]?.message}`);
  return analyzed.model;
}

/** The checker's trace of `scenario`, as views, with its violation. */
function found(model: AnalyzedModel, scenario: string) {
  const result = checkScenario(model, scenario);
  expect(result.verdict).toBe('violation');
  const views: StateView[] = [result.trace!.initial, ...result.trace!.steps.map((s) => s.state)];
  return { violation: result.violation!, views, before: views.at(-2)!, after: views.at(-1)! };
}

describe('why an invariant is false', () => {
  it('names the at() count that broke the share example’s one-driver-delete', () => {
    const model = load('share-delete-vs-snapshot');
    const { violation, before, after } = found(model, 'naive-two-deletes');
    expect(explainViolationValues(model, 'naive-two-deletes', violation, before, after)).toEqual({
      sentence: 'invariant one-driver-delete is false: at(deleteShareNaive, "driver-delete") = 2, not <= 1',
      source: 'at(deleteShareNaive, "driver-delete") <= 1',
    });
    // One step earlier only one delete stood at the driver call: the invariant held, there is nothing to explain.
    expect(explainViolationValues(model, 'naive-two-deletes', violation, null, before)).toBeNull();
  });

  it('gives the quantifier’s witness in the lock-scope harm scenario', () => {
    const model = load('lock-scope');
    const { violation, before, after } = found(model, 'file-lock-two-nodes-harm');
    expect(explainViolationValues(model, 'file-lock-two-nodes-harm', violation, before, after)?.sentence).toBe(
      'invariant no-snapshot-of-deleted-share is false: for n = snap1: n.state = "creating" and n.share.state = "deleted"',
    );
  });

  it('shows count() values, the terms of a sum, and every instance an any() fails for', () => {
    const model = load('lock-scope', (doc) => {
      const harm = doc.scenarios.find((s: any) => s.name === 'file-lock-two-nodes-harm');
      harm.invariants = [
        { name: 'at-most-one-done', expr: 'count(Snapshot, "creating") + count(Share, "deleted") <= 1' },
        { name: 'some-share-alive', expr: 'any(s: Share, s.state == "available")' },
      ];
    });
    // The state the harm scenario ends in (share1 deleted, snap1 creating), judged by these invariants.
    const { after } = found(load('lock-scope'), 'file-lock-two-nodes-harm');
    const explain = (name: string) => explainViolationValues(model, 'file-lock-two-nodes-harm', { kind: 'invariant', name, message: '' }, null, after)?.sentence;
    expect(explain('at-most-one-done')).toBe(
      'invariant at-most-one-done is false: count(Snapshot, "creating") + count(Share, "deleted") = 2 (count(Snapshot, "creating") = 1, count(Share, "deleted") = 1), not <= 1',
    );
    expect(explain('some-share-alive')).toBe('invariant some-share-alive is false: for s = share1: s.state = "deleted", not "available"');
  });

  it('says nothing about a condition that holds', () => {
    const model = load('lock-scope');
    const { views } = found(model, 'file-lock-two-nodes-harm');
    const inv = model.invariants.find((i) => i.name === 'no-snapshot-of-deleted-share')!;
    const statesOf = (r: string) => model.catalog.resources.get(r)!.states;
    expect(explainFalse(inv.expr, { view: views[0], statesOf })).toBeNull();
  });
});

describe('why an assertion is false', () => {
  it('evaluates the assert with the process’s own parameters, in the state its step saw', () => {
    const model = load('image-cache-ageing-vs-spawn');
    const { violation, before, after } = found(model, 'unlocked');
    expect(violation.kind).toBe('assertion');
    const explained = explainViolationValues(model, 'unlocked', violation, before, after);
    expect(explained?.source).toBe('dir.state == "ready"');
    expect(explained?.sentence).toMatch(/^assertion "the image directory I am about to use exists" in \S+ is false: dir\.state = "[a-z_]+", not "ready"$/);
    expect(explained?.sentence).not.toContain('dir.state = "ready"');
  });
});
