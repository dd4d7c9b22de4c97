/**
 * Every example's generated code compiles with tsc --strict (and stricter
 * flags) in a temporary project; a node-scoped provider for a cluster lock
 * does not compile, and the error names the lock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '@/lib/model';
import { generate } from '@/lib/codegen';
import { examples, filesOf, serviceImportingEveryFile, tempProject, tsc, withRuntime } from './helpers';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('generated code compiles', () => {
  const all = examples();
  it('has examples to compile', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  for (const { file, model } of all) {
    it(`${file}: every generated .ts file passes tsc --strict`, async () => {
      const files = filesOf(generate(model, { version: 7 }));
      // A service that imports every file, so unused-export mistakes cannot hide.
      files['service.ts'] = serviceImportingEveryFile(files);
      const project = tempProject('compile', files);
      cleanups.push(project.remove);
      const result = await tsc(project.dir);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    });
  }
});

/** A model with one cluster lock that a file (node-scoped) provider must not satisfy. */
const lockModel = {
  name: 'scope test',
  resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] }],
  locks: [
    { name: 'share-lock', key: 'Share', backend: 'etcd', fencing: false },
    { name: 'node-lock', key: 'Share', backend: 'file' },
  ],
  operations: [],
};

/** A node-scoped provider, as a file-lock library would type itself. */
const fileProvider = `
import type { LockProvider } from './locks.js';
export declare const fileLocks: LockProvider<'node'>;
`;

describe('lock scope is part of the type', () => {
  const analyzed = analyzeModel(lockModel);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  const files = filesOf(generate(analyzed.value, { version: 1 }));

  it('a node-scoped provider for a cluster lock is a compile error naming the lock', async () => {
    const project = tempProject('scope-bad', {
      ...withRuntime(files, 'locks.ts'),
      'file-provider.ts': fileProvider,
      'service.ts': `
import { shareLock, using, withLocks } from './locks.js';
import { fileLocks } from './file-provider.js';
export const run = () => withLocks([using(shareLock, 'share-1', fileLocks)], async () => 1);
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('service.ts');
    expect(result.output).toContain('share-lock');
    expect(result.output).toMatch(/"node"' is not assignable to type '"cluster"'/);
  });

  it('the same provider for a node lock, and the advisory provider for the cluster lock, compile', async () => {
    const project = tempProject('scope-good', {
      ...withRuntime(files, 'locks.ts'),
      'file-provider.ts': fileProvider,
      'service.ts': `
import { nodeLock, shareLock, using, withLocks } from './locks.js';
import { pgAdvisoryLocks, type AdvisoryPoolLike } from './lockstep-runtime/pg-advisory-locks.js';
import { fileLocks } from './file-provider.js';
declare const pool: AdvisoryPoolLike;
export const run = () =>
  withLocks([using(nodeLock, 'share-1', fileLocks), using(shareLock, 'share-1', pgAdvisoryLocks(pool))], async () => 1);
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('an in-process provider for a node lock is refused too', async () => {
    // The in-process provider is only written when a lock can use it: add a process-scoped one.
    const withProcess = analyzeModel({ ...lockModel, locks: [...lockModel.locks, { name: 'cache-lock', backend: 'threading' }] });
    if (!withProcess.ok) throw new Error(JSON.stringify(withProcess.issues));
    const generated = filesOf(generate(withProcess.value, { version: 1 }));
    expect(Object.keys(generated)).toContain('lockstep-runtime/in-process-locks.ts');
    expect(Object.keys(files)).not.toContain('lockstep-runtime/in-process-locks.ts');
    const project = tempProject('scope-process', {
      ...withRuntime(generated, 'locks.ts'),
      'service.ts': `
import { nodeLock, using } from './locks.js';
import { inProcessLocks } from './lockstep-runtime/in-process-locks.js';
export const r = using(nodeLock, 'share-1', inProcessLocks());
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('node-lock');
  });
});

describe('lock-scope example: the checked deployment decides the provider type', () => {
  const model = examples().find((e) => e.file === 'lock-scope.json')?.model;
  const service = `
import { shareLock, using, withLocks } from './locks.js';
import { fileLocks } from './file-provider.js';
export const run = () => withLocks([using(shareLock, 'share-1', fileLocks)], async () => 1);
`;
  it.skipIf(!model)('a file lock provider compiles for the declared (node) policy, not for scenario cluster-lock-two-nodes', async () => {
    const declared = filesOf(generate(model!, { version: 1 }));
    const ok = tempProject('scope-declared', { ...withRuntime(declared, 'locks.ts'), 'file-provider.ts': fileProvider, 'service.ts': service });
    cleanups.push(ok.remove);
    expect((await tsc(ok.dir)).output).toBe('');

    const cluster = filesOf(generate(model!, { version: 1, scenario: 'cluster-lock-two-nodes' }));
    expect(cluster['locks.ts']).toContain('Lock policies as checked in scenario "cluster-lock-two-nodes".');
    const bad = tempProject('scope-cluster', { ...withRuntime(cluster, 'locks.ts'), 'file-provider.ts': fileProvider, 'service.ts': service });
    cleanups.push(bad.remove);
    const result = await tsc(bad.dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("ProviderFor<\"share-lock\", \"cluster\", true>");
  });

  it.skipIf(!model)('an unknown scenario is refused by name', () => {
    expect(() => generate(model!, { version: 1, scenario: 'nope' })).toThrow(/no scenario 'nope' \(scenarios: file-lock-one-node/);
  });
});

describe('fencing tokens are typed', () => {
  it('a fencing lock hands the fenced write guard a number, no null check needed', async () => {
    const { model } = examples().find((e) => e.file === 'lease-and-fencing.json') ?? {};
    if (!model) return;
    const files = filesOf(generate(model, { version: 1 }));
    const project = tempProject('fence-types', {
      ...withRuntime(files, 'locks.ts', 'guards.ts'),
      'service.ts': `
import { shareLeaseFencedLock, using, withLocks, type LockProvider } from './locks.js';
import { extendShareFencedWriteSize } from './guards.js';
import { memoryStore } from './lockstep-runtime/memory-store.js';
/** An etcd-like provider: cluster scope, fencing tokens. */
declare const etcdLocks: LockProvider<'cluster'> & { readonly fencing: true };
const store = memoryStore({ Share: new Map([['s1', { state: 'available', size: 0 }]]) });
export const run = () =>
  withLocks([using(shareLeaseFencedLock, 's1', etcdLocks)], async (held) =>
    extendShareFencedWriteSize(store, { share: 's1', size: 0, shareLeaseFencedToken: held.token(shareLeaseFencedLock, 's1') }),
  );
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    expect(result.output).toBe('');
  });
});

describe("guards are typed by the model's state unions", () => {
  it('compareAndSet on Share accepts Share states and refuses a Snapshot state, naming the union', async () => {
    const { model } = examples().find((e) => e.file === 'share-delete-vs-snapshot.json') ?? {};
    if (!model) return;
    const files = filesOf(generate(model, { version: 1 }));
    const project = tempProject('typed-cas', {
      ...withRuntime(files, 'guards.ts'),
      'service.ts': `
import type { GuardStore } from './lockstep-runtime/guard-plan.js';
import { memoryStore } from './lockstep-runtime/memory-store.js';
import { createSnapshotMarkSnapshotting, type Fields } from './guards.js';
const store: GuardStore<Fields> = memoryStore({ Share: new Map([['s1', { state: 'available' }]]) });
export const guarded = createSnapshotMarkSnapshotting(store, { share: 's1' });
export const ok = store.compareAndSet('Share', 's1', 'state', ['available'], 'snapshotting');
export const bad = store.compareAndSet('Share', 's1', 'state', ['available'], 'absent');
`,
    });
    cleanups.push(project.remove);
    const result = await tsc(project.dir);
    const errors = result.output.split('\n').filter(Boolean);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^service\.ts\(8,/);
    expect(errors[0]).toContain('"absent"');
    expect(errors[0]).toContain('ShareState');
  });
});
