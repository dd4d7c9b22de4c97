/**
 * Says whether the server has confirmed a verdict: reported (not yet),
 * verified, refuted (loudly, with what the server found instead) or too
 * large to verify (with how far the server got). Shown wherever a stored
 * verdict appears.
 */
import type { PublicVerification } from '@/lib/transport/runs';
import styles from './verification.module.css';

const TITLES: Record<PublicVerification['status'], string> = {
  reported: 'Reported — not yet verified by the server',
  verified: 'Verified by the server',
  refuted: 'Refuted by the server',
  'too-large': 'Too large to verify — this verdict is unverified',
};

export function VerificationBanner({ verification, reported }: { verification: PublicVerification; reported: string }) {
  const { status, reason, server } = verification;
  return (
    <div className={`${styles.banner} ${styles[status]}`} role={status === 'refuted' ? 'alert' : 'status'} data-testid="verification" data-status={status}>
      <strong className={styles.title}>{TITLES[status]}</strong>
      {status === 'refuted' ? (
        <span>
          The browser reported <b>{reported}</b>; the server&apos;s own check found{' '}
          <b data-testid="server-verdict">{server ? serverVerdict(server) : 'something else'}</b>. Do not rely on the reported verdict.
        </span>
      ) : null}
      {reason ? <span className={styles.reason} data-testid="verification-reason">{reason}</span> : null}
    </div>
  );
}

export function serverVerdict(server: NonNullable<PublicVerification['server']>): string {
  if (server.verdict === 'violation' && server.violation) return `violation: ${server.violation.kind}${server.violation.name ? ` ${server.violation.name}` : ''}`;
  return server.incompleteReason ? `${server.verdict} (${server.incompleteReason})` : server.verdict;
}

/** A small badge for tables: the status in a word. */
export function VerificationBadge({ status, title }: { status: PublicVerification['status']; title?: string }) {
  const words: Record<PublicVerification['status'], string> = { reported: 'reported', verified: 'verified', refuted: 'refuted', 'too-large': 'too large to verify' };
  return (
    <span className={`${styles.badge} ${styles[status]}`} data-testid="verification-badge" data-status={status} title={title}>
      {words[status]}
    </span>
  );
}
