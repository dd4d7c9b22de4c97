/**
 * locks.ts: the lock policy as typed descriptors, withLocks (one global order,
 * release on every exit), scope-typed providers, and the in-process and
 * PostgreSQL advisory providers (the runtime, copied in).
 */
import type { AnalyzedStep } from '../model/analyzed';
import { tsHeader, type Context } from './context';
import { camel, commentLine, declaredNames, NameTable, objectKey as key, str } from './names';
import { LOCKS_RUNTIME } from './runtime-source';

/** Adds to `out` every lock `steps` take, release or fence a write with. */
function locksUsed(steps: AnalyzedStep[], out: Set<string>): void {
  for (const s of steps) {
    if (s.kind === 'with' || s.kind === 'acquire' || s.kind === 'release') out.add(s.lock);
    if (s.kind === 'write' && s.fencedBy) out.add(s.fencedBy.lock);
    if (s.kind === 'if') {
      locksUsed(s.then, out);
      locksUsed(s.else, out);
    }
    if (s.kind === 'with' || s.kind === 'atomic') locksUsed(s.steps, out);
    if (s.kind === 'acquire') locksUsed(s.else, out);
    if ((s.kind === 'write' || s.kind === 'call') && s.onFail) locksUsed(s.onFail, out);
  }
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

export function locksFile(ctx: Context): string {
  // Lock ids and their provider types share the file with the runtime (`LockProvider`…).
  const names = new NameTable(['LOCKS', ...declaredNames(LOCKS_RUNTIME)]);
  const policies = ctx.locks;
  const providerType = (id: string) => `${id.charAt(0).toUpperCase()}${id.slice(1)}Provider`;
  const ids = policies.map((p) => {
    const base = camel(p.name);
    return names.claim(/lock$/i.test(base) ? base : `${base}Lock`, (id) => [providerType(id)]);
  });
  const out: string[] = [tsHeader(ctx, 'locks.ts', 'lock policies, withLocks and lock providers'), '/* eslint-disable */', ''];
  out.push(`// ─── Locks of "${commentLine(ctx.model.document.name)}" ${'─'.repeat(20)}`, "// The model's locks first; withLocks and the providers follow below.");
  const first = ctx.locks[0];
  if (first) {
    const id = ids[0]!;
    const provider = first.scope === 'process' ? 'inProcessLocks()' : first.scope === 'cluster' ? 'pgAdvisoryLocks(pool)' : 'yourNodeLocks';
    out.push(
      '//',
      '// Use:',
      `//   await withLocks([using(${id}, ${first.key ? `${camel(first.key)}Id` : 'null'}, ${provider})], async (held) => { … });`,
      '// A provider whose scope does not honour the lock\'s is a compile error naming the lock.',
    );
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
  out.push(LOCKS_RUNTIME.trimEnd(), '');
  return out.join('\n');
}
