/**
 * token(L, r) and fence(r, L) in expressions: they read what the executor
 * hands out at acquire and what fenced writes record, the reference
 * interpreter agrees, and the patterns they exist for work — "my write is the
 * newest", "storage never accepts an older token after a newer one", and a
 * version counter (Cinder's race_preventer) that needs neither.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario } from './check';
import { explainViolationValues } from './explain';
import { referenceCheck } from './testing/reference-interpreter';
import { analyzeModel } from '../model/validate';
import type { AnalyzedModel } from '../model/analyzed';
import type { ModelDocument, Scenario, Step } from '../model/schema';

const LOCK = 'share-lease';
/** As an expression writes it. */
const L = JSON.stringify(LOCK);
const on = { lock: LOCK, on: 'share' };

/** One Share, an etcd-like lease lock with tokens, and the operations and scenarios given. */
function model(operations: Array<{ name: string; steps: Step[] }>, scenarios: Scenario[], invariants: ModelDocument['invariants'] = []): AnalyzedModel {
  const doc: ModelDocument = {
    name: 'tokens',
    resources: [
      {
        name: 'Share',
        states: [{ name: 'available', kind: 'stable' }],
        initial: 'available',
        transitions: [],
        fields: [
          { name: 'size', type: { kind: 'int', min: 0, max: 3 }, initial: 0 },
          { name: 'lastToken', type: { kind: 'int', min: 0, max: 4 }, initial: 0 },
          { name: 'prevToken', type: { kind: 'int', min: 0, max: 4 }, initial: 0 },
          { name: 'version', type: { kind: 'int', min: 0, max: 4 }, initial: 0 },
        ],
      },
    ],
    locks: [{ name: LOCK, key: 'Share', backend: 'etcd', fencing: true }],
    operations: operations.map((op) => ({ name: op.name, params: [{ name: 'share', type: 'Share' }], steps: op.steps })),
    invariants,
    scenarios,
  };
  const analyzed = analyzeModel(doc);
  if (!analyzed.ok) throw new Error(analyzed.issues.map((i) => i.message).join('\n'));
  return analyzed.value;
}

function scenario(name: string, operation: string, extra: Partial<Scenario> = {}): Scenario {
  return { name, instances: [{ name: 'share1', type: 'Share' }], processes: [{ name: 'writer', operation, args: { share: 'share1' }, count: 2 }], ...extra };
}

/** The checker's verdict, checked against the independent reference interpreter. */
function verdict(m: AnalyzedModel, name: string) {
  const result = checkScenario(m, name);
  const reference = referenceCheck(m, name);
  expect({ verdict: reference.verdict, kind: reference.kind }).toEqual({ verdict: result.verdict, kind: result.violation?.kind ?? null });
  return result;
}

const release: Step = { kind: 'release', ...on };
const newest: Step = { kind: 'assert', cond: `fence(share, ${L}) == token(${L}, share)`, message: 'my token is the newest the share accepted' };

describe('token() and fence() read what the executor hands out', () => {
  const m = model(
    [
      {
        name: 'fencedWrite',
        steps: [
          { kind: 'acquire', ...on },
          { kind: 'call', name: 'driver.resize', long: true },
          // In one step with the write: after a lease expiry the write is rejected and the step rolls back.
          { kind: 'atomic', steps: [{ kind: 'write', target: 'share.size', value: '1', fencedBy: on }, newest] },
          release,
        ],
      },
      {
        name: 'fencedThenUnfenced',
        steps: [
          { kind: 'acquire', ...on },
          { kind: 'write', target: 'share.size', value: '1', fencedBy: on },
          { kind: 'call', name: 'driver.resize', long: true },
          // The user's own fence before an unfenced write: holds unless a newer holder wrote meanwhile.
          { kind: 'atomic', steps: [newest, { kind: 'write', target: 'share.size', value: '2' }] },
          release,
        ],
      },
    ],
    [
      scenario('fenced-expiry', 'fencedWrite', { faults: { leaseExpiry: 1 } }),
      scenario('unfenced-no-expiry', 'fencedThenUnfenced'),
      // staleWrite off: the assertion, not the built-in check, is what finds it here.
      scenario('unfenced-expiry', 'fencedThenUnfenced', { faults: { leaseExpiry: 1 }, checks: { staleWrite: false } }),
    ],
  );

  it('after a fenced write the share has accepted exactly the writer’s token, even when leases expire', () => {
    expect(verdict(m, 'fenced-expiry').verdict).toBe('pass');
  });

  it('holds without expiry, and fails when a lease expires and the next holder writes before an unfenced write', () => {
    expect(verdict(m, 'unfenced-no-expiry').verdict).toBe('pass');
    const result = verdict(m, 'unfenced-expiry');
    expect(result.violation).toMatchObject({ kind: 'assertion', name: 'my token is the newest the share accepted' });
    // The values: the second holder's token 2 was accepted, the writer still holds token 1.
    const views = [result.trace!.initial, ...result.trace!.steps.map((s) => s.state)];
    const why = explainViolationValues(m, 'unfenced-expiry', result.violation!, views.at(-2)!, views.at(-1)!);
    expect(why?.sentence).toMatch(/is false: fence\(share, "share-lease"\) = 2, token\("share-lease", share\) = 1$/);
    // The trace shows the tokens handed out and recorded.
    const events = result.trace!.steps.flatMap((s) => s.events.map((e) => e.text));
    expect(events).toContain('acquire share-lease(share1), fencing token 1');
    expect(events).toContain('acquire share-lease(share1), fencing token 2');
    expect(views.at(-2)!.instances[0].fences).toEqual({ [LOCK]: 2 });
  });

  it('a scenario whose backend hands out no tokens reads 0 for both (and the stale write is what is found)', () => {
    const redis = model(
      [{ name: 'w', steps: [{ kind: 'acquire', ...on }, { kind: 'call', name: 'x', long: true }, { kind: 'write', target: 'share.size', value: '1', fencedBy: on }, { kind: 'assert', cond: `token(${L}, share) == 0 && fence(share, ${L}) == 0`, message: 'no tokens' }, release] }],
      [scenario('redis', 'w', { locks: { [LOCK]: { backend: 'redis' } } }), scenario('redis-expiry', 'w', { locks: { [LOCK]: { backend: 'redis' } }, faults: { leaseExpiry: 1 } })],
    );
    expect(verdict(redis, 'redis').verdict).toBe('pass');
    expect(verdict(redis, 'redis-expiry').violation?.kind).toBe('stale-write');
  });

  it('token() is 0 before the acquire and after the release; a global lock’s fence(L) is the highest any instance accepted', () => {
    const doc = model([], []);
    const g = analyzeModel({
      ...doc.document,
      locks: [{ name: 'g', backend: 'zookeeper' }],
      operations: [
        {
          name: 'w',
          params: [{ name: 'share', type: 'Share' }],
          steps: [
            { kind: 'assert', cond: 'token(g) == 0', message: 'none before' },
            { kind: 'acquire', lock: 'g' },
            { kind: 'assert', cond: 'token(g) > fence(g)', message: 'newer than any accepted' },
            { kind: 'write', target: 'share.size', value: '1', fencedBy: { lock: 'g' } },
            { kind: 'assert', cond: 'fence(g) == token(g) && fence(share, g) == token(g)', message: 'accepted' },
            { kind: 'release', lock: 'g' },
            { kind: 'assert', cond: 'token(g) == 0', message: 'none after' },
          ],
        },
      ],
      invariants: [{ name: 'two-shares-at-most-two-tokens', expr: 'fence(g) <= 2 && all(s: Share, fence(s, g) <= fence(g))' }],
      scenarios: [
        {
          name: 'two-shares',
          instances: [
            { name: 'a', type: 'Share' },
            { name: 'b', type: 'Share' },
          ],
          processes: [
            { name: 'wa', operation: 'w', args: { share: 'a' } },
            { name: 'wb', operation: 'w', args: { share: 'b' } },
          ],
        },
      ],
    });
    if (!g.ok) throw new Error(g.issues.map((i) => i.message).join('\n'));
    expect(verdict(g.value, 'two-shares').verdict).toBe('pass');
  });
});

describe('storage never accepts an older token after a newer one', () => {
  // The share remembers the last two tokens a write carried; the invariant says they never go down.
  const remember = (fenced: boolean): Step => ({
    kind: 'atomic',
    steps: [
      { kind: 'write', target: 'share.size', value: '1', ...(fenced ? { fencedBy: on } : {}) },
      { kind: 'write', target: 'share.prevToken', value: 'share.lastToken', ...(fenced ? { fencedBy: on } : {}) },
      { kind: 'write', target: 'share.lastToken', value: `token(${L}, share)`, ...(fenced ? { fencedBy: on } : {}) },
    ],
  });
  const op = (name: string, fenced: boolean) => ({
    name,
    steps: [{ kind: 'acquire', ...on } as Step, { kind: 'call', name: 'driver.resize', long: true } as Step, remember(fenced), release],
  });
  const m = model(
    [op('fencedWrite', true), op('unfencedWrite', false)],
    [
      scenario('fenced', 'fencedWrite', {
        faults: { leaseExpiry: 1 },
        // With fencing the share's high-water mark is the last token written.
        invariants: [{ name: 'fence-is-last', expr: `share1.lastToken == fence(share1, ${L})` }],
      }),
      // staleWrite off: the storage's own history is the judge here.
      scenario('unfenced', 'unfencedWrite', { faults: { leaseExpiry: 1 }, checks: { staleWrite: false } }),
    ],
    [{ name: 'tokens-never-go-back', expr: 'all(s: Share, s.prevToken <= s.lastToken)' }],
  );

  it('holds when writes are fenced, under lease expiry', () => {
    expect(verdict(m, 'fenced').verdict).toBe('pass');
  });

  it('fails without fencing once a lease expires: the paused holder’s token 1 lands after token 2', () => {
    const result = verdict(m, 'unfenced');
    expect(result.violation).toMatchObject({ kind: 'invariant', name: 'tokens-never-go-back' });
    const last = result.trace!.steps.at(-1)!.state.instances[0];
    expect(last.fields).toMatchObject({ prevToken: 2, lastToken: 1 });
  });
});

describe('a version counter (Cinder’s race_preventer) needs no tokens', () => {
  // Read the row and its version, do slow work, then write only if nobody bumped the version meanwhile,
  // bumping it in the same step (one conditional UPDATE … WHERE version = v).
  const claim = (guarded: boolean): Step[] => [
    { kind: 'atomic', steps: [{ kind: 'read', local: 'v', expr: 'share.version' }, { kind: 'read', local: 'n', expr: 'share.size' }] },
    { kind: 'call', name: 'driver.extend', long: true },
    {
      kind: 'atomic',
      steps: [
        ...(guarded ? [{ kind: 'require', cond: 'share.version == v', message: 'race_preventer moved: another service wrote first' } as Step] : []),
        { kind: 'write', target: 'share.version', value: 'share.version + 1' },
        { kind: 'write', target: 'share.size', value: 'n + 1' },
      ],
    },
  ];
  const m = model(
    [
      { name: 'guarded', steps: claim(true) },
      { name: 'naive', steps: claim(false) },
    ],
    [scenario('guarded', 'guarded'), scenario('naive', 'naive')],
    // Every write that got through bumped the version once: a lost update leaves size behind it.
    [{ name: 'no-lost-update', expr: 'all(s: Share, s.size == s.version)' }],
  );

  it('guarded by the version the service read, a racing writer is refused instead of overwriting', () => {
    expect(verdict(m, 'guarded').verdict).toBe('pass');
  });

  it('without the guard the second writer overwrites the first', () => {
    const result = verdict(m, 'naive');
    expect(result.violation).toMatchObject({ kind: 'invariant', name: 'no-lost-update' });
    expect(result.trace!.steps.at(-1)!.state.instances[0].fields).toMatchObject({ size: 1, version: 2 });
  });
});

describe('with the update step: the version counter and a token the row keeps itself', () => {
  // Cinder's race_preventer: UPDATE … SET version = version + 1 … WHERE version = v.
  const claim = (guarded: boolean): Step[] => [
    { kind: 'atomic', steps: [{ kind: 'read', local: 'v', expr: 'share.version' }, { kind: 'read', local: 'n', expr: 'share.size' }] },
    { kind: 'call', name: 'driver.extend', long: true },
    {
      kind: 'update',
      target: 'share',
      where: guarded ? [{ field: 'version', op: '==', value: 'v' }] : [],
      set: [
        { field: 'version', value: 'share.version + 1' },
        { field: 'size', value: 'n + 1' },
      ],
    },
  ];
  // Storage-side fencing without fencedBy: the row keeps the last token and refuses an older one.
  const tokenGuarded = (guarded: boolean): Step[] => [
    { kind: 'acquire', ...on },
    { kind: 'call', name: 'driver.resize', long: true },
    {
      kind: 'update',
      target: 'share',
      where: [],
      ...(guarded ? { filters: [{ name: 'newer_token', cond: `share.lastToken <= token(${L}, share)` }] } : {}),
      set: [
        { field: 'prevToken', value: 'share.lastToken' },
        { field: 'lastToken', value: `token(${L}, share)` },
        { field: 'size', value: '1' },
      ],
      else: 'skip',
    },
    release,
  ];
  const noLostUpdate = [{ name: 'no-lost-update', expr: 'share1.size == share1.version' }];
  const inOrder = [{ name: 'tokens-never-go-back', expr: 'share1.prevToken <= share1.lastToken' }];
  // staleWrite off: the row does its own fencing, which the built-in check cannot see.
  const expiry = { faults: { leaseExpiry: 1 }, checks: { staleWrite: false }, invariants: inOrder };
  const m = model(
    [
      { name: 'claim', steps: claim(true) },
      { name: 'claimNaive', steps: claim(false) },
      { name: 'tokenGuarded', steps: tokenGuarded(true) },
      { name: 'tokenUnguarded', steps: tokenGuarded(false) },
    ],
    [
      scenario('claim', 'claim', { invariants: noLostUpdate }),
      scenario('claim-naive', 'claimNaive', { invariants: noLostUpdate }),
      scenario('token-guarded', 'tokenGuarded', expiry),
      scenario('token-unguarded', 'tokenUnguarded', expiry),
    ],
  );

  it('a claim guarded by the version in one update never loses an update; unguarded it does', () => {
    expect(verdict(m, 'claim').verdict).toBe('pass');
    expect(verdict(m, 'claim-naive').violation).toMatchObject({ kind: 'invariant', name: 'no-lost-update' });
  });

  it('an update filtered on token() keeps the row’s tokens in order under lease expiry; unfiltered it does not', () => {
    expect(verdict(m, 'token-guarded').verdict).toBe('pass');
    expect(verdict(m, 'token-unguarded').violation).toMatchObject({ kind: 'invariant', name: 'tokens-never-go-back' });
  });
});
