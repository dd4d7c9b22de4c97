import { describe, expect, it } from 'vitest';
import { insertAt, invariantVocabulary, operationVocabulary } from './vocabulary';
import { loadExample } from './fixtures';

const share = loadExample();

describe('expression vocabulary', () => {
  it('offers parameter fields, locals and states inside an operation', () => {
    const v = operationVocabulary(share, share.operations[1]);
    expect(v.slice(0, 5)).toEqual(['share.state', 'snap.state', 'snap.share', 'status', '"creating"']);
    expect(v).toContain('"deleting"');
  });
  it('offers quantifiers, counts, instances and labels in invariants', () => {
    const v = invariantVocabulary(share, share.scenarios[0]);
    expect(v).toContain('all(x: Share, x.state != "creating")');
    expect(v).toContain('count(Snapshot, "absent")');
    expect(v).toContain('share1.state');
    expect(v).toContain('at(deleteShare, "driver-delete")');
  });
  it('inserts at the caret with a separating space', () => {
    expect(insertAt('share.state ==', 14, '"available"')).toEqual({ value: 'share.state == "available"', caret: 26 });
    expect(insertAt('!(', 2, 'x')).toEqual({ value: '!(x', caret: 3 });
  });
});
