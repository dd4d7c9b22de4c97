/**
 * The review page's anchor picker: every element of a version a comment can
 * be about, named in words; a step anchor's path becomes the address the
 * editor's step card uses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '@/lib/model';
import { anchorGroups, stepCardAddress } from '@/components/review/anchor-options';
import { missingAnchor } from '@/lib/reviews/anchor';

const share = (() => {
  const r = analyzeModel(JSON.parse(readFileSync(new URL('../../examples/share-delete-vs-snapshot.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error('example does not validate');
  return r.value.document;
})();

describe('anchorGroups', () => {
  const groups = anchorGroups(share);
  const group = (label: string) => groups.find((g) => g.label === label)!.options;

  it('lists states, transitions, steps and scenarios in words, each an anchor that exists in the version', () => {
    expect(group('States').map((o) => o.label)).toContain('Share.deleting (transitional)');
    expect(group('Transitions').map((o) => o.label)).toContain('Share: available → deleting (delete)');
    expect(group('Scenarios').map((o) => o.label)).toContain('naive-two-deletes');
    for (const g of groups) for (const o of g.options) expect(missingAnchor(o.anchor, share), o.label).toBeNull();
  });

  it('lists nested steps with their path and keeps a step label in the anchor', () => {
    const steps = group('Steps');
    const nested = steps.find((o) => o.anchor.kind === 'step' && o.anchor.operation === 'deleteShare' && o.anchor.path.join('/') === '0/steps/2');
    expect(nested?.label).toMatch(/^deleteShare step 1\.steps\.3 \(write\): write share\.state = "deleting"/);
    const labelled = steps.find((o) => o.anchor.kind === 'step' && o.anchor.operation === 'deleteShareNaive' && o.anchor.path.join('/') === '4');
    expect(labelled?.anchor).toMatchObject({ label: 'mark-deleting' });
    // One option per step, keys unique (they are the <select> values).
    const keys = groups.flatMap((g) => g.options.map((o) => o.key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves out empty groups (no locks or invariants to pick in a model without them)', () => {
    const bare = { ...share, locks: [], invariants: [] };
    expect(anchorGroups(bare).map((g) => g.label)).toEqual(['The model', 'States', 'Transitions', 'Steps', 'Scenarios']);
  });
});

describe('stepCardAddress', () => {
  it('turns a step path into the list and index the editor addresses the card by', () => {
    const op = share.operations.findIndex((o) => o.name === 'deleteShare');
    expect(stepCardAddress(share, 'deleteShare', [0, 'steps', 2])).toEqual({ opIndex: op, list: `operations[${op}].steps[0].steps`, index: 2, depth: 1 });
    expect(stepCardAddress(share, 'deleteShare', [1])).toEqual({ opIndex: op, list: `operations[${op}].steps`, index: 1, depth: 0 });
    expect(stepCardAddress(share, 'noSuchOperation', [0])).toBeNull();
  });
});
