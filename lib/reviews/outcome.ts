/**
 * A review's outcome from its decisions. Pure. Only decisions on the
 * review's current version count (moving the review to a fixed version asks
 * for fresh ones), and each reviewer's latest decision replaces their earlier
 * ones; any request for changes outweighs approvals.
 */
import type { ReviewOutcome } from '@/lib/transport/reviews';

export interface DecisionLike {
  decision: 'approve' | 'request-changes';
  author: string;
  authorId: string | null;
  versionNumber: number;
  createdAt: string;
}

export function reviewOutcome(decisions: readonly DecisionLike[], versionNumber: number): { outcome: ReviewOutcome; approvedAt: string | null } {
  const latest = new Map<string, DecisionLike>();
  for (const d of decisions) {
    if (d.versionNumber !== versionNumber) continue;
    const who = d.authorId ?? `name:${d.author}`;
    const prev = latest.get(who);
    if (!prev || prev.createdAt <= d.createdAt) latest.set(who, d);
  }
  const current = [...latest.values()];
  if (current.some((d) => d.decision === 'request-changes')) return { outcome: 'changes-requested', approvedAt: null };
  const approvals = current.filter((d) => d.decision === 'approve');
  if (approvals.length === 0) return { outcome: null, approvedAt: null };
  return { outcome: 'approved', approvedAt: approvals.map((d) => d.createdAt).sort().at(-1)! };
}
