'use client';

/**
 * The verdict diff: every scenario at the base and at the review's version —
 * verdict, violation kind, shortest-trace length, states, whether the server
 * verified it — with what changed highlighted. Each side with a trace opens
 * that run's trace.
 */
import type { ScenarioVerdict, VerdictDiff, VerdictDiffRow } from '@/lib/transport/reviews';
import { VerificationBadge } from '@/components/trace/VerificationBanner';
import type { RunRef } from './RunTrace';
import styles from './review.module.css';

export function VerdictDiffTable({
  diff,
  baseNumber,
  versionNumber,
  onOpenRun,
  onRetry,
}: {
  diff: VerdictDiff;
  baseNumber: number | null;
  versionNumber: number;
  onOpenRun: (run: RunRef) => void;
  /** Asks the server to check again after a failure; absent for a reader who may not run checks. */
  onRetry?: () => void;
}) {
  if (diff.status === 'failed') {
    return (
      <div role="alert" data-testid="verdict-diff-failed">
        {(diff.failures ?? []).map((f) => (
          <p key={f.versionNumber} className={styles.error}>
            The server could not check v{f.versionNumber}: {f.error}
          </p>
        ))}
        {onRetry ? (
          <button type="button" className="btn" onClick={onRetry}>
            Check again
          </button>
        ) : null}
      </div>
    );
  }
  if (diff.status === 'pending') {
    return (
      <p className={styles.muted} data-testid="verdict-diff-pending" role="status">
        Pending: the server is checking every scenario of {baseNumber ? `v${baseNumber} and ` : ''}v{versionNumber}
        {diff.progress ? ` (${diff.progress.done} of ${diff.progress.total} done)` : ''}…
      </p>
    );
  }
  if (diff.rows.length === 0) return <p className={styles.muted}>Neither version has a scenario.</p>;
  return (
    <table className={styles.table} data-testid="verdict-diff">
      <thead>
        <tr>
          <th scope="col">Scenario</th>
          <th scope="col">{baseNumber ? `Before (v${baseNumber})` : 'Before'}</th>
          <th scope="col">After (v{versionNumber})</th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {diff.rows.map((row) => (
          <Row key={row.scenario} row={row} baseNumber={baseNumber} versionNumber={versionNumber} onOpenRun={onOpenRun} />
        ))}
      </tbody>
    </table>
  );
}

function Row({ row, baseNumber, versionNumber, onOpenRun }: { row: VerdictDiffRow; baseNumber: number | null; versionNumber: number; onOpenRun: (run: RunRef) => void }) {
  const className = row.regressed ? styles.regressedRow : row.changes.length > 0 ? styles.changedRow : undefined;
  return (
    <tr className={className} data-testid="verdict-row" data-scenario={row.scenario} data-regressed={row.regressed ? 'true' : 'false'}>
      <th scope="row">{row.scenario}</th>
      <td data-testid="verdict-before">
        <Side verdict={row.before} version={baseNumber} scenario={row.scenario} onOpenRun={onOpenRun} />
      </td>
      <td data-testid="verdict-after">
        <Side verdict={row.after} version={versionNumber} scenario={row.scenario} onOpenRun={onOpenRun} />
      </td>
      <td data-testid="verdict-changes">
        {row.changes.length === 0 ? <span className={styles.small}>unchanged</span> : row.changes.map((c) => <span key={c} className={styles.change}>{c}</span>)}
        {row.regressed ? <div className={styles.regressed}>no longer meets its expect</div> : null}
      </td>
    </tr>
  );
}

function Side({ verdict, version, scenario, onOpenRun }: { verdict: ScenarioVerdict | null; version: number | null; scenario: string; onOpenRun: (run: RunRef) => void }) {
  if (!verdict) return <span className={styles.small}>—</span>;
  const runId = verdict.runId;
  return (
    <div>
      <span className={styles[`verdict_${verdict.verdict}`]} data-testid="verdict-text">
        {verdict.verdict}
        {verdict.kind ? ` (${verdict.kind})` : ''}
      </span>{' '}
      <VerificationBadge status={verdict.verification} />
      <div className={styles.small}>
        {verdict.traceLength !== undefined ? `trace ${verdict.traceLength} steps · ` : ''}
        {verdict.states.toLocaleString('en')} states · {verdict.meetsExpectation ? 'meets its expect' : 'does not meet its expect'}
      </div>
      {runId && version && verdict.verdict === 'violation' ? (
        <button type="button" className={styles.linkButton} onClick={() => onOpenRun({ runId, versionNumber: version, scenario })}>
          Open the trace of {scenario} at v{version}
        </button>
      ) : null}
    </div>
  );
}
