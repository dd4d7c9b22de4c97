/**
 * locks.ts: the lock policy as typed descriptors, withLocks (one global order,
 * release on every exit), scope-typed providers, and the in-process and
 * PostgreSQL advisory providers (the runtime, copied in).
 */
import type { AnalyzedStep } from '../model/analyzed';
import { tsHeader, type Context } from './context';
import { camel, commentLine, key, NameTable, str } from './names';
import { LOCKS_RUNTIME } from './runtime-source';

function usesOf(steps: AnalyzedStep[], lock: string, out: Set<string>, op: string): void {
  for (const s of steps) {
    if ((s.kind === 'with' || s.kind === 'acquire' || s.kind === 'release') && s.lock === lock) out.add(op);
    if (s.kind === 'write' && s.fencedBy?.lock === lock) out.add(op);
    if (s.kind === 'if') {
      usesOf(s.then, lock, out, op);
      usesOf(s.else, lock, out, op);
    }
    if (s.kind === 'with' || s.kind === 'atomic') usesOf(s.steps, lock, out, op);
    if (s.kind === 'acquire') usesOf(s.else, lock, out, op);
    if ((s.kind === 'write' || s.kind === 'call') && s.onFail) usesOf(s.onFail, lock, out, op);
  }
}

export function locksFile(ctx: Context): string {
  const out: string[] = [tsHeader(ctx, 'locks.ts', 'lock policies, withLocks and lock providers'), '/* eslint-disable */', ''];
  out.push(`// ─── Locks of "${commentLine(ctx.model.document.name)}" ${'─'.repeat(20)}`, "// The model's locks first; withLocks and the providers follow below.");
  const first = ctx.locks[0];
  if (first) {
    const id = /lock$/i.test(camel(first.name)) ? camel(first.name) : `${camel(first.name)}Lock`;
    const provider = first.scope === 'process' ? 'inProcessLocks()' : first.scope === 'cluster' ? 'pgAdvisoryLocks(pool)' : 'yourNodeLocks';
    out.push(
      '//',
      '// Use:',
      `//   await withLocks([using(${id}, ${first.key ? `${camel(first.key)}Id` : 'null'}, ${provider})], async (held) => { … });`,
      '// A provider whose scope does not honour the lock\'s is a compile error naming the lock.',
    );
  }
  out.push('');
  const names = new NameTable();
  const entries: Array<{ id: string; name: string }> = [];
  const policies = ctx.locks;
  policies.forEach((p, order) => {
    const base = camel(p.name);
    const id = names.claim(/lock$/i.test(base) ? base : `${base}Lock`);
    const typeName = id.charAt(0).toUpperCase() + id.slice(1);
    entries.push({ id, name: p.name });
    const users = new Set<string>();
    for (const op of ctx.model.operations.values()) usesOf(op.steps, p.name, users, op.name);
    const overrides = ctx.model.document.scenarios.filter((s) => s.locks && Object.hasOwn(s.locks, p.name)).map((s) => s.name);
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
      `export type ${typeName}Provider = ProviderFor<${str(p.name)}, ${str(p.scope)}, ${p.fencing}>;`,
      '',
    );
  });
  out.push('/** Every lock, in the global acquisition order. */', `export const LOCKS = {${entries.length ? `\n${entries.map((e) => `  ${key(e.name)}: ${e.id},`).join('\n')}\n` : ''}} as const;`, '');
  out.push(LOCKS_RUNTIME.trimEnd(), '');
  return out.join('\n');
}
