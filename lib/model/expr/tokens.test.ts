/**
 * token(L, r) and fence(r, L) in the expression language: what parses, what
 * type-checks, and the messages (with columns) a model author sees when not.
 */
import { describe, expect, it } from 'vitest';
import { validateModel } from '../validate';
import type { ModelIssue } from '../issues';

/** Locks: `lease` keyed by Share with tokens, `global` with tokens, `plain` without (redis hands out none). */
function doc(steps: unknown[], invariants: unknown[] = [], scenarioInvariants: unknown[] = []) {
  return {
    name: 'tokens',
    resources: [
      { name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] },
      { name: 'Snapshot', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] },
    ],
    locks: [
      { name: 'lease', key: 'Share', backend: 'etcd' },
      { name: 'global', fencing: true },
      { name: 'plain', key: 'Share', backend: 'redis' },
    ],
    operations: [{ name: 'op', params: [{ name: 'share', type: 'Share' }, { name: 'snap', type: 'Snapshot' }], steps }],
    invariants,
    scenarios: [
      {
        name: 's',
        instances: [
          { name: 'share1', type: 'Share' },
          { name: 'snap1', type: 'Snapshot' },
        ],
        processes: [{ operation: 'op', args: { share: 'share1', snap: 'snap1' } }],
        invariants: scenarioInvariants,
      },
    ],
  };
}

/** The issues of one `require` whose condition is `cond`. */
function requireIssues(cond: string): ModelIssue[] {
  const result = validateModel(doc([{ kind: 'require', cond }]));
  return result.ok ? [] : result.issues;
}

/** The issue a bad `require` condition gets: "col N: …" in the message and N as `col`. */
const at = (message: string) => ({
  path: 'operations[0].steps[0].cond',
  message: `op › step 1 (require) › cond ${message}`,
  code: 'LS301',
  column: Number(/^col (\d+):/.exec(message)![1]),
});

describe('token() and fence() type-check', () => {
  it('accepts both forms of each, as ints that compare and add', () => {
    for (const cond of [
      'token(lease, share) > 0',
      'token("lease", share) == fence(share, lease)',
      'token(global) + 1 > fence(global)',
      // A fence is kept per written row, whatever its type.
      'fence(snap, lease) <= fence(share, "lease")',
      'all(s: Share, fence(s, lease) <= token(lease, s))',
    ]) {
      expect(requireIssues(cond), cond).toEqual([]);
    }
  });

  it('reads a token into a local of type int 0..', () => {
    const result = validateModel(doc([{ kind: 'read', local: 't', expr: 'token(lease, share)' }, { kind: 'require', cond: 't == fence(share, lease)' }]));
    expect(result.ok).toBe(true);
    // A local named `token` is still a name: only `token(` is the function.
    expect(validateModel(doc([{ kind: 'read', local: 'token', expr: 'token(lease, share)' }, { kind: 'require', cond: 'token > 0' }])).ok).toBe(true);
  });

  it('allows fence() in invariants over types and scenario instances', () => {
    const result = validateModel(doc([], [{ name: 'i', expr: 'all(s: Share, fence(s, lease) <= 3) && fence(global) >= 0' }], [{ name: 'j', expr: 'fence(share1, lease) <= 3' }]));
    expect(result.ok).toBe(true);
  });
});

describe('token() and fence() errors name the column', () => {
  it('an unknown lock, with a suggestion', () => {
    expect(requireIssues('token(leese, share) > 0')).toEqual([at("col 7: unknown lock 'leese'; did you mean 'lease'?")]);
    expect(requireIssues('fence(share, leese) > 0')).toEqual([at("col 14: unknown lock 'leese'; did you mean 'lease'?")]);
  });

  it('a lock without fencing tokens', () => {
    expect(requireIssues('token(plain, share) > 0')).toEqual([at("col 7: lock 'plain' hands out no fencing tokens; set fencing: true")]);
    expect(requireIssues('fence(share, plain) > 0')).toEqual([at("col 14: lock 'plain' hands out no fencing tokens; set fencing: true")]);
  });

  it('a keyed lock needs its instance, of its key type', () => {
    expect(requireIssues('token(lease) > 0')).toEqual([at("col 1: lock 'lease' is keyed by Share: name the instance, as in token(lease, r)")]);
    expect(requireIssues('token(lease, snap) > 0')).toEqual([at('col 14: expected Share but this is Snapshot')]);
    expect(requireIssues('fence(lease) > 0')).toEqual([at("col 1: lock 'lease' is keyed by Share: name the instance whose fence to read, as in fence(r, lease)")]);
  });

  it('a global lock takes no instance in token(); fence() needs an instance, not a value', () => {
    expect(requireIssues('token(global, share) > 0')).toEqual([at("col 15: lock 'global' is global: token() takes no instance")]);
    expect(requireIssues('fence(1, global) > 0')).toEqual([at("col 7: fence() reads an instance's fence, but this is int")]);
  });

  it('fence(instance) without the lock says what was meant', () => {
    expect(requireIssues('fence(share) > 0')).toEqual([at("col 7: unknown lock 'share' ('share' is an instance: write fence(share, lock))")]);
  });

  it('token() in an invariant: there is no executing process', () => {
    const result = validateModel(doc([], [{ name: 'mine', expr: 'all(s: Share, token(lease, s) == 0)' }]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      {
        path: 'invariants[0].expr',
        message:
          'invariant mine › col 15: token() is the token the executing process holds, and an invariant runs in no process; assert it in an operation step, or compare fence(r, lock) values',
        code: 'LS302',
        column: 15,
      },
    ]);
  });

  it('syntax: the arguments each form needs', () => {
    expect(requireIssues('token() > 0')).toEqual([at("col 7: expected a lock name, as in token(\"share-lease\", share) but found ')'")]);
    expect(requireIssues('fence(share lease) > 0')).toEqual([at("col 13: expected ',' but found 'lease'")]);
    expect(requireIssues('fence(share, ) > 0')).toEqual([at("col 14: expected a lock name, as in fence(share, \"share-lease\") but found ')'")]);
    expect(requireIssues('tokens(lease) > 0')).toEqual([at("col 1: unknown function 'tokens' (known: all, any, count, at, holds, token, fence)")]);
  });
});
