/** Renaming a lock rewrites it inside token() and fence() too, quoting a name that needs it. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from './actions';
import { validateModel, type ModelDocument } from '@/lib/model';

const doc = (lock: string, cond: string, invariant: string): ModelDocument =>
  ({
    name: 'rename',
    resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] }],
    locks: [
      { name: lock, key: 'Share', backend: 'etcd' },
      { name: 'g', backend: 'zookeeper' },
    ],
    operations: [
      {
        name: 'op',
        params: [{ name: 'share', type: 'Share' }],
        steps: [
          { kind: 'acquire', lock, on: 'share' },
          { kind: 'require', cond },
          { kind: 'release', lock, on: 'share' },
        ],
      },
    ],
    invariants: [{ name: 'i', expr: invariant }],
    scenarios: [],
  }) as ModelDocument;

describe('renaming a lock used in token() and fence()', () => {
  it('rewrites bare names, and quotes a new name that is not an identifier', () => {
    const before = doc('lease', 'token(lease, share) == fence(share, lease) && fence(g) >= 0', 'all(s: Share, fence(s, lease) >= 0)');
    const after = applyEdit(before, { type: 'renameLock', lock: 0, to: 'share-lease' });
    expect(after.operations[0].steps[1]).toMatchObject({ cond: 'token("share-lease", share) == fence(share, "share-lease") && fence(g) >= 0' });
    expect(after.invariants[0].expr).toBe('all(s: Share, fence(s, "share-lease") >= 0)');
    expect(validateModel(after).ok).toBe(true);
  });

  it('keeps quotes, and renames the global form fence(L)', () => {
    const before = doc('share-lease', 'token("share-lease", share) > 0', 'fence(g) >= 0');
    const after = applyEdit(applyEdit(before, { type: 'renameLock', lock: 0, to: 'lease' }), { type: 'renameLock', lock: 1, to: 'global' });
    expect(after.operations[0].steps[1]).toMatchObject({ cond: 'token("lease", share) > 0' });
    expect(after.invariants[0].expr).toBe('fence(global) >= 0');
    expect(validateModel(after).ok).toBe(true);
  });
});
