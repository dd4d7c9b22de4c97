'use client';

import type { CheckResult } from '@/lib/check';
import type { Scenario } from '@/lib/model';
import { explainViolation } from '@/lib/browser/trace-model';
import type { PublicVerification, StoredRunSummary } from '@/lib/transport/runs';
import { whenText } from './StoredRuns';
import { VerificationBadge, serverVerdict } from '@/components/trace/VerificationBanner';
import type { JobSpec } from './useCheckRunner';
import { duration, expectText, num, verdictText } from './format';
import styles from './check.module.css';

export interface Entry {
  spec: JobSpec;
  result: CheckResult | null;
  error: string | null;
  /** The stored CheckRun's id, once saved. */
  runId: string | null;
  saveError: string | null;
  /** What the server made of the stored run (null until stored). */
  verification: PublicVerification | null;
  savedAt?: number;
}

export function ResultsTable({
  scenarios,
  entries,
  selected,
  onShowTrace,
  onSimulate,
  onShare,
  links,
  latest = {},
  onOpenStored,
}: {
  scenarios: Scenario[];
  entries: Record<string, Entry>;
  selected: string | null;
  onShowTrace: (scenario: string) => void;
  onSimulate: (scenario: string) => void;
  /** Makes a read-only link to a stored run without a trace (a pass, say). */
  onShare: (scenario: string) => void;
  /** Links made so far, by scenario. */
  links: Record<string, string>;
  /** The newest stored run per scenario: shown until this page runs the scenario again. */
  latest?: Record<string, StoredRunSummary>;
  onOpenStored?: (run: StoredRunSummary) => void;
}) {
  if (scenarios.length === 0) return <p className={styles.note}>This model has no scenarios yet: add one in the editor.</p>;
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          <th>Scenario</th>
          <th>Verdict</th>
          <th>Expected</th>
          <th>Meets it</th>
          <th>Statistics</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {scenarios.map((s) => {
          const entry = entries[s.name];
          const r = entry?.result ?? null;
          const expected = r?.expected ?? s.expect ?? null;
          const storedMeets = !r && !entry?.error ? (latest[s.name]?.stats as { meetsExpectation?: unknown } | undefined)?.meetsExpectation : undefined;
          const meets = r ? r.meetsExpectation : typeof storedMeets === 'boolean' ? storedMeets : null;
          return (
            <tr
              key={s.name}
              className={selected === s.name ? styles.selected : undefined}
              data-testid="result-row"
              data-scenario={s.name}
              data-verdict={r?.verdict ?? ''}
              data-states={r?.stats.distinctStates}
              data-transitions={r?.stats.transitions}
              data-elapsed-ms={r?.stats.elapsedMs}
              data-rate={r?.stats.statesPerSecond}
            >
              <td>
                <strong>{s.name}</strong>
                {s.description ? <div className={styles.stats}>{s.description}</div> : null}
              </td>
              <td>
                {r ? (
                  <>
                    <span className={`${styles.verdict} ${styles[`verdict-${r.verdict}`]}`} data-testid="result-verdict">
                      {verdictText(r.verdict, r.incompleteReason)}
                    </span>
                    {entry.verification ? <VerificationBadge status={entry.verification.status} title={entry.verification.reason ?? undefined} /> : null}
                    {entry.verification?.status === 'refuted' ? (
                      <div className={styles.error} data-testid="result-refuted">
                        The server found {entry.verification.server ? serverVerdict(entry.verification.server) : 'something else'}: {entry.verification.reason}
                      </div>
                    ) : entry.verification?.status === 'too-large' ? (
                      <div className={styles.note} data-testid="result-too-large">
                        {entry.verification.reason}
                      </div>
                    ) : null}
                    {r.violation ? (
                      <div className={styles.message} data-testid="result-violation">
                        {explainViolation(r.violation)}
                      </div>
                    ) : null}
                  </>
                ) : entry?.error ? (
                  <span className={styles.error} data-testid="result-error">
                    {entry.error}
                  </span>
                ) : latest[s.name] ? (
                  <StoredVerdict run={latest[s.name]} />
                ) : (
                  <span className="muted">not run</span>
                )}
              </td>
              <td data-testid="result-expect">{expectText(expected)}</td>
              <td data-testid="result-meets">
                {(r || meets !== null) && expected ? (
                  <span className={`${styles.meets} ${meets ? styles['meets-yes'] : styles['meets-no']}`}>{meets ? '✓ meets' : '✗ does not meet'}</span>
                ) : (
                  '—'
                )}
              </td>
              <td className={styles.stats} data-testid="result-stats">
                {r ? (
                  <>
                    {r.simulation ? `${num(r.simulation.runs)} schedules, ${num(r.stats.transitions)} steps` : `${num(r.stats.distinctStates)} states, ${num(r.stats.transitions)} transitions`}
                    <br />
                    depth {num(r.stats.depth)} · {duration(r.stats.elapsedMs)} · {num(r.stats.statesPerSecond)} {r.simulation ? 'steps' : 'states'}/s
                    {r.stats.bytesPerState ? ` · ${num(r.stats.bytesPerState)} B/state` : ''}
                    {r.stats.threads ? ` · ${r.stats.threads} threads` : ''}
                    <br />
                    <span data-testid="result-saved">{entry.runId ? 'saved' : entry.saveError ? `not saved: ${entry.saveError}` : 'saving…'}</span>
                  </>
                ) : null}
              </td>
              <td>
                <div style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
                  {r?.trace ? (
                    <button type="button" className="btn btn-small" onClick={() => onShowTrace(s.name)}>
                      Show trace
                    </button>
                  ) : !r && !entry?.error && latest[s.name]?.trace?.moves.length && onOpenStored ? (
                    <button type="button" className="btn btn-small" onClick={() => onOpenStored(latest[s.name])}>
                      Show trace
                    </button>
                  ) : null}
                  <button type="button" className="btn btn-small" onClick={() => onSimulate(s.name)}>
                    Simulate
                  </button>
                  {r && !r.trace && entry.runId ? (
                    <button type="button" className="btn btn-small" onClick={() => onShare(s.name)}>
                      Copy link
                    </button>
                  ) : null}
                </div>
                {links[s.name] ? (
                  <input className={`input ${styles.rowLink}`} readOnly value={links[s.name]} data-testid="row-share-link" onFocus={(e) => e.target.select()} />
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The latest stored run's verdict, said to be stored (not this page's run). */
function StoredVerdict({ run }: { run: StoredRunSummary }) {
  return (
    <>
      <span className={`${styles.verdict} ${styles[`verdict-${run.verdict}`]}`} data-testid="result-stored-verdict" data-verdict={run.verdict}>
        {verdictText(run.verdict)}
      </span>
      <VerificationBadge status={run.verification.status} title={run.verification.reason ?? undefined} />
      <div className={styles.stats} data-testid="result-stored-when">
        last stored run · {run.author} · <time dateTime={run.createdAt}>{whenText(run.createdAt)}</time>
      </div>
    </>
  );
}
