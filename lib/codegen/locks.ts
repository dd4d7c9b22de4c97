/**
 * locks.ts: the model's lock policies as typed descriptors and a provider type
 * per lock. `using` and `withLocks` (one global order, release on every exit)
 * and the providers live in `lockstep-runtime/` (runtime-files.ts).
 */
import { forEachAnalyzedStep, type AnalyzedStep } from '../model/analyzed';
import { tsHeader, type Context } from './context';
import { camel, commentLine, NameTable, objectKey as key, str } from './names';
import { WIDTH, wrap } from './pretty';
import { RUNTIME_DIR, type RuntimeNeeds } from './runtime-files';

/** What locks.ts imports from the runtime, and what it re-exports so a service needs one import. */
const RUNTIME_TYPES = ['LockDescriptor', 'ProviderFor'];
const REEXPORTED = ['using', 'withLocks', 'LockTimeoutError', 'LockProvider', 'HeldLocks'];

/** Adds to `out` every lock `steps` take, release or fence a write with (nested steps included). */
function locksUsed(steps: AnalyzedStep[], out: Set<string>): void {
  forEachAnalyzedStep(steps, (s) => {
    if (s.kind === 'with' || s.kind === 'acquire' || s.kind === 'release') out.add(s.lock);
    if (s.kind === 'write' && s.fencedBy) out.add(s.fencedBy.lock);
  });
}

/** The acquire steps with a timeout, by lock: `operation › step (N s)`, in operation order. */
function timeoutsByLock(ctx: Context): Map<string, string[]> {
  const byLock = new Map<string, string[]>();
  for (const op of ctx.model.operations.values()) {
    forEachAnalyzedStep(op.steps, (s) => {
      if (s.kind !== 'acquire' || s.timeout === null) return;
      const list = byLock.get(s.lock) ?? [];
      list.push(`${commentLine(op.name)} › ${commentLine(s.label ?? s.where)} (${s.timeout} s)`);
      byLock.set(s.lock, list);
    });
  }
  return byLock;
}

/** The operations using each lock, in operation order: one walk of every operation, not one per lock. */
function usersByLock(ctx: Context): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const op of ctx.model.operations.values()) {
    const used = new Set<string>();
    locksUsed(op.steps, used);
    for (const lock of used) {
      const list = users.get(lock);
      if (list) list.push(op.name);
      else users.set(lock, [op.name]);
    }
  }
  return users;
}

/** The scenarios overriding each lock's policy, in scenario order. */
function overridesByLock(ctx: Context): Map<string, string[]> {
  const byLock = new Map<string, string[]>();
  for (const s of ctx.model.document.scenarios) {
    if (!s.locks) continue;
    for (const lock of Object.getOwnPropertyNames(s.locks)) {
      const list = byLock.get(lock);
      if (list) list.push(s.name);
      else byLock.set(lock, [s.name]);
    }
  }
  return byLock;
}

/** The providers written beside this file, as usage comment lines. */
function providerLines(needs: RuntimeNeeds): string[] {
  const lines: string[] = [];
  if (needs.inProcessLocks) lines.push('//   inProcessLocks() (in-process-locks.js): process scope, fencing tokens.');
  if (needs.advisoryLocks) lines.push('//   pgAdvisoryLocks(pool) (pg-advisory-locks.js): any scope, no fencing tokens.');
  return lines.length ? [`// Providers in ./${RUNTIME_DIR}/:`, ...lines] : [];
}

export function locksFile(ctx: Context, needs: RuntimeNeeds): string {
  // Lock ids and their provider types share the file with what it imports (`LockProvider`…).
  const names = new NameTable(['LOCKS', ...RUNTIME_TYPES, ...REEXPORTED]);
  const policies = ctx.locks;
  const providerType = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}Provider`;
  const ids = policies.map((p) => {
    const base = camel(p.name);
    return names.claim(/lock$/i.test(base) ? base : `${base}Lock`, (id) => [providerType(id)]);
  });
  const out: string[] = [tsHeader(ctx, 'locks.ts', 'lock policies and the provider type each lock demands')];
  const rt = `./${RUNTIME_DIR}/locks.js`;
  if (policies.length) {
    out.push(`import type { ${RUNTIME_TYPES.join(', ')} } from '${rt}';`, `export { using, withLocks, LockTimeoutError, type LockProvider, type HeldLocks } from '${rt}';`);
  }
  out.push('', `// ─── Locks of "${commentLine(ctx.model.document.name)}" ${'─'.repeat(20)}`);
  const timeouts = timeoutsByLock(ctx);
  const first = ctx.locks[0];
  if (first) {
    const id = ids[0]!;
    const provider =
      first.scope === 'process' ? 'inProcessLocks()' : first.scope === 'cluster' && !first.fencing ? 'pgAdvisoryLocks(pool)' : `your${first.scope === 'node' ? 'Node' : 'Fencing'}Locks`;
    out.push(
      '// Take locks with withLocks, from a provider whose scope honours each lock:',
      `//   await withLocks([using(${id}, ${first.key ? `${camel(first.key)}Id` : 'null'}, ${provider})], async (held) => {`,
      '//     …',
      '//   });',
      "// A provider whose scope does not honour the lock's is a compile error naming the lock.",
      ...providerLines(needs),
    );
    if (timeouts.size) {
      out.push(
        '// An acquire with a timeout gives up while another holds the lock, then runs its else steps:',
        '//   try {',
        '//     await withLocks([using(lock, id, provider, { timeout: seconds })], body);',
        '//   } catch (error) {',
        '//     if (!(error instanceof LockTimeoutError)) throw error;',
        '//     // the else steps',
        '//   }',
      );
    }
  } else {
    out.push('// This model has no locks.');
  }
  out.push('');
  const entries: Array<{ id: string; name: string }> = [];
  const userLists = usersByLock(ctx);
  const overrideLists = overridesByLock(ctx);
  policies.forEach((p, order) => {
    const id = ids[order]!;
    entries.push({ id, name: p.name });
    const users = new Set(userLists.get(p.name) ?? []);
    const overrides = overrideLists.get(p.name) ?? [];
    const declared = ctx.model.catalog.locks.get(p.name);
    const replaced = ctx.scenario !== null && declared !== undefined && JSON.stringify(declared) !== JSON.stringify(p);
    const doc = [
      '/**',
      ` * ${commentLine(p.name)}: ${p.key ? `one lock per ${p.key}` : 'a global lock'}, ${p.scope} scope${p.backend ? ` (${p.backend})` : ''}.`,
      ` * On a holder's crash: ${p.onCrash === 'released' ? 'released at once' : p.onCrash === 'after-lease' ? 'released when its lease runs out' : 'never released (an operator must clear it)'}.`,
      ...(p.leaseCanExpire ? [' * Its lease can expire while the holder still runs: fence every write made under it.'] : []),
      ...(p.fencing ? [' * Issues fencing tokens: only a provider that hands them out is accepted.'] : []),
      ...(users.size ? [` * Used by: ${[...users].map(commentLine).join(', ')}.`] : []),
      ...(timeouts.has(p.name)
        ? wrap(`Taken with a timeout (LockTimeoutError, then the else steps) by: ${timeouts.get(p.name)!.join(', ')}.`, WIDTH - 3).map((l) => ` * ${l}`)
        : []),
      ...(replaced && declared
        ? [` * As checked in scenario ${commentLine(ctx.scenario ?? '')}; declared as ${declared.scope} scope${declared.backend ? ` (${declared.backend})` : ''}.`]
        : overrides.length
          ? [` * Scenarios that check it with another policy: ${overrides.map(commentLine).join(', ')}.`]
          : []),
      ' */',
    ];
    out.push(
      ...doc,
      `export const ${id} = {`,
      `  name: ${str(p.name)},`,
      `  key: ${p.key ? str(p.key) : 'null'},`,
      `  scope: ${str(p.scope)},`,
      `  onCrash: ${str(p.onCrash)},`,
      `  leaseCanExpire: ${p.leaseCanExpire},`,
      `  fencing: ${p.fencing},`,
      `  backend: ${p.backend ? str(p.backend) : 'null'},`,
      `  order: ${order},`,
      '} as const satisfies LockDescriptor;',
      '',
      `/** A provider that can implement ${commentLine(p.name)}. */`,
      `export type ${providerType(id)} = ProviderFor<${str(p.name)}, ${str(p.scope)}, ${p.fencing}>;`,
      '',
    );
  });
  out.push('/** Every lock, in the global acquisition order. */', `export const LOCKS = {${entries.length ? `\n${entries.map((e) => `  ${key(e.name)}: ${e.id},`).join('\n')}\n` : ''}} as const;`, '');
  return out.join('\n');
}
