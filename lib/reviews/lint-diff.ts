/**
 * Lints that appeared or went away between two versions. A lint is the same
 * lint when its code and message are: its path moves whenever a step is
 * inserted above it, so the path is not part of its identity.
 */
import type { Lint } from '@/lib/check/lints';
import type { LintDiff } from '@/lib/transport/reviews';

const key = (lint: Lint) => `${lint.code}\n${lint.message}`;

/** Multiset difference both ways (two identical lints count twice). */
export function lintDiff(before: readonly Lint[], after: readonly Lint[]): LintDiff {
  const remaining = new Map<string, number>();
  for (const lint of before) remaining.set(key(lint), (remaining.get(key(lint)) ?? 0) + 1);
  const appeared: Lint[] = [];
  for (const lint of after) {
    const left = remaining.get(key(lint)) ?? 0;
    if (left > 0) remaining.set(key(lint), left - 1);
    else appeared.push(lint);
  }
  const resolved: Lint[] = [];
  for (const lint of before) {
    const left = remaining.get(key(lint)) ?? 0;
    if (left > 0) {
      resolved.push(lint);
      remaining.set(key(lint), left - 1);
    }
  }
  return { appeared, resolved };
}
