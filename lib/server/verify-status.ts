/**
 * A run's verification as every API response and page shows it: reported
 * (the server has not re-checked it yet), verified, refuted (with the
 * server's own result and trace) or too large to verify (with the figure).
 */
import type { ServerResult, VerifyBudget } from '@/lib/check/verify';
import type { CheckRunRecord, RunStatus } from '@/lib/db/runs';
import type { PublicVerification } from '@/lib/transport/runs';

export type { PublicVerification } from '@/lib/transport/runs';

export function publicVerification(run: Pick<CheckRunRecord, 'status' | 'verification' | 'verifiedAt'>): PublicVerification {
  const v = (run.verification ?? null) as { reason?: string; server?: ServerResult | null; budget?: VerifyBudget } | null;
  const server = v?.server ? { ...v.server, moves: v.server.moves ?? [], length: v.server.moves?.length ?? 0 } : null;
  return { status: run.status, reason: v?.reason ?? null, server, budget: v?.budget ?? null, verifiedAt: run.verifiedAt };
}

/** The words a person reads beside a verdict. */
export const STATUS_LABELS: Record<RunStatus, string> = {
  reported: 'reported — not yet verified by the server',
  verified: 'verified by the server',
  refuted: 'REFUTED by the server',
  'too-large': 'too large to verify — unverified',
};
