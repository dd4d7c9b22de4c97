'use client';

/**
 * The runs stored for this version, grouped by scenario, newest first: who,
 * when, verdict, the server's verification and the options; a run with a
 * trace reopens in the trace view, any run can be opened as a read-only link.
 */
import type { Scenario } from '@/lib/model';
import type { StoredRunSummary } from '@/lib/transport/runs';
import { VerificationBadge } from '@/components/trace/VerificationBanner';
import { verdictText } from './format';
import styles from './check.module.css';

export function optionsText(o: StoredRunSummary['options']): string {
  const parts = [o.symmetry === false ? 'no symmetry' : 'symmetry', o.mergeLocalSteps === false ? 'no merging' : 'merge local steps'];
  if (o.runs !== undefined) parts.push(`random: ${o.runs} runs, seed ${o.seed ?? 1}`);
  if (o.maxStates) parts.push(`≤ ${o.maxStates.toLocaleString('en')} states`);
  if (o.maxDepth) parts.push(`depth ≤ ${o.maxDepth}`);
  if (o.timeLimitMs) parts.push(`≤ ${o.timeLimitMs / 1000} s`);
  return parts.join(', ');
}

export const whenText = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function StoredRuns({
  scenarios,
  runs,
  error,
  opened,
  onOpen,
}: {
  scenarios: Scenario[];
  runs: StoredRunSummary[] | null;
  error: string | null;
  opened: string | null;
  onOpen: (run: StoredRunSummary) => void;
}) {
  if (error) return <p className={styles.error}>Could not load the stored runs: {error}</p>;
  if (!runs) return <p className="muted">Loading stored runs…</p>;
  if (runs.length === 0) return <p className="muted">No runs stored for this version yet: every check you run here is stored.</p>;
  return (
    <div data-testid="stored-runs">
      {scenarios.map((s) => {
        const mine = runs.filter((r) => r.scenario === s.name);
        if (mine.length === 0) return null;
        return (
          <details key={s.name} open={mine.some((r) => r.id === opened) || undefined} data-testid="stored-runs-scenario" data-scenario={s.name}>
            <summary>
              <strong>{s.name}</strong> · {mine.length} run{mine.length === 1 ? '' : 's'}
            </summary>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>Verdict</th>
                  <th>Options</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {mine.map((r) => (
                  <tr key={r.id} data-testid="stored-run" data-run-id={r.id} data-verdict={r.verdict} className={r.id === opened ? styles.selected : undefined}>
                    <td>
                      <time dateTime={r.createdAt}>{whenText(r.createdAt)}</time>
                    </td>
                    <td>{r.author}</td>
                    <td>
                      <span className={`${styles.verdict} ${styles[`verdict-${r.verdict}`]}`}>{verdictText(r.verdict)}</span>{' '}
                      <VerificationBadge status={r.verification.status} title={r.verification.reason ?? undefined} />
                    </td>
                    <td className={styles.stats}>{optionsText(r.options)}</td>
                    <td>
                      {r.trace && r.trace.moves.length > 0 ? (
                        <button type="button" className="btn btn-small" onClick={() => onOpen(r)} aria-label={`Open the trace of the ${s.name} run from ${whenText(r.createdAt)}`}>
                          Open trace
                        </button>
                      ) : (
                        <span className="muted">no trace</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        );
      })}
    </div>
  );
}
