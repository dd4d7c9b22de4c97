'use client';

/**
 * A review: its header and decisions, the verdict diff (polled while the
 * server checks), the structural diff from the base, the lints that appeared
 * or went away, a stored run's trace opened from the verdict diff (where a
 * step can be commented on), and the threads.
 */
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReviewDetail } from '@/lib/transport/reviews';
import { DiffList } from '@/components/editor/HistoryPanel';
import { formatTime } from '@/components/ui/format';
import { getReview, retryVerdicts } from './api';
import { ReviewHeader } from './ReviewHeader';
import { VerdictDiffTable } from './VerdictDiffTable';
import { RunTrace, type RunRef } from './RunTrace';
import { NewThreadForm } from './NewThreadForm';
import { ThreadCard } from './ThreadCard';
import { LintDiffList } from './LintDiffList';
import { useVersionDocument } from './useVersionDocument';
import styles from './review.module.css';

const POLL_MS = 1500;
const LIVE_MS = 20_000;

export interface ReviewPageProps {
  modelId: string;
  modelName: string;
  workspace: string | null;
  number: number;
  /** The review as the server rendered it. */
  initial: ReviewDetail;
  latestVersion: number;
  /** From the URL: a run to open (?run=&v=&scenario=&step=) and a thread to show (?thread=). */
  openRun: (RunRef & { step?: number }) | null;
  focusThread: string | null;
}

export function ReviewPage({ modelId, modelName, workspace, number, initial, latestVersion, openRun, focusThread }: ReviewPageProps) {
  const [detail, setDetail] = useState<ReviewDetail>(initial);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<(RunRef & { step?: number }) | null>(openRun);
  const [commentOn, setCommentOn] = useState<{ run: RunRef; step: number } | null>(null);

  const refresh = useCallback(async () => {
    const r = await getReview(modelId, number);
    if (r.ok) {
      setDetail(r.data);
      setError(null);
    } else setError(r.failure.error);
  }, [modelId, number]);

  const retry = useCallback(async () => {
    const r = await retryVerdicts(modelId, number);
    if (!r.ok) setError(r.failure.error);
    await refresh();
  }, [modelId, number, refresh]);

  // While the server checks the scenarios, ask again.
  const pending = detail.verdictDiff.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, refresh]);

  // Others comment and decide meanwhile: look again now and then while the page is in view.
  useEffect(() => {
    const timer = setInterval(() => {
      if (window.document.visibilityState === 'visible') refresh();
    }, LIVE_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const versionDoc = useVersionDocument(modelId, detail.review.versionNumber);

  // Which version each run checked: the verdict diff names them (base and review version).
  const runVersions = useMemo(() => {
    const m = new Map<string, number>();
    for (const row of detail.verdictDiff.rows) {
      if (row.before?.runId && detail.review.baseNumber) m.set(row.before.runId, detail.review.baseNumber);
      if (row.after?.runId) m.set(row.after.runId, detail.review.versionNumber);
    }
    return m;
  }, [detail]);

  const openTrace = (ref: RunRef) => {
    setRun(ref);
    setCommentOn(null);
    const url = new URL(window.location.href);
    url.searchParams.set('run', ref.runId);
    url.searchParams.set('v', String(ref.versionNumber));
    url.searchParams.set('scenario', ref.scenario);
    url.searchParams.delete('step');
    window.history.replaceState(null, '', url);
  };

  const { review, permissions } = detail;
  const unresolved = detail.threads.filter((t) => !t.resolved).length;

  return (
    <div className={styles.page} data-testid="review-page">
      <nav className={styles.crumbs}>
        <Link href="/">Models</Link> <span aria-hidden>/</span> <span>{workspace ?? 'Examples'}</span> <span aria-hidden>/</span>{' '}
        <Link href={`/models/${modelId}`}>{modelName}</Link> <span aria-hidden>/</span> <Link href={`/models/${modelId}/reviews`}>Reviews</Link>{' '}
        <span aria-hidden>/</span> <span>#{review.number}</span>
      </nav>
      <ReviewHeader modelId={modelId} detail={detail} latestVersion={latestVersion} onChanged={refresh} />
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}

      <section className={`card ${styles.section}`} aria-labelledby="verdicts-heading">
        <h2 id="verdicts-heading">Verdicts</h2>
        <p className={styles.small}>Every scenario checked by the server at both versions, with what changed.</p>
        <VerdictDiffTable diff={detail.verdictDiff} baseNumber={review.baseNumber} versionNumber={review.versionNumber} onOpenRun={openTrace} onRetry={retry} />
        {run ? (
          <div className={styles.traceBox} data-testid="review-trace" data-run={run.runId} aria-label={`Trace of ${run.scenario} at v${run.versionNumber}`} role="region">
            <div className={styles.row}>
              <h3>
                Trace of {run.scenario} at v{run.versionNumber}
              </h3>
              <span className={styles.spacer} style={{ flex: 1 }} />
              <button type="button" className="btn btn-small" onClick={() => setRun(null)}>
                Close trace
              </button>
            </div>
            <RunTrace
              modelId={modelId}
              run={run}
              step={run.step}
              actions={
                permissions.comment
                  ? (step) => (
                      <button type="button" className="btn btn-small" onClick={() => setCommentOn({ run, step })}>
                        Comment on this step
                      </button>
                    )
                  : undefined
              }
            />
            {commentOn ? (
              <NewThreadForm
                key={`${commentOn.run.runId}:${commentOn.step}`}
                modelId={modelId}
                reviewNumber={review.number}
                fixed={{
                  anchor: { kind: 'trace-step', runId: commentOn.run.runId, scenario: commentOn.run.scenario, step: commentOn.step },
                  label: `trace step ${commentOn.step} of ${commentOn.run.scenario} (v${commentOn.run.versionNumber})`,
                }}
                onStarted={() => {
                  setCommentOn(null);
                  refresh();
                }}
                onCancel={() => setCommentOn(null)}
              />
            ) : null}
          </div>
        ) : null}
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="changes-heading">
        <h2 id="changes-heading">Changes{review.baseNumber ? ` from v${review.baseNumber}` : ''}</h2>
        {review.baseNumber ? <DiffList entries={detail.structuralDiff} /> : <p className={styles.muted}>No base version: everything in v{review.versionNumber} is new.</p>}
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="lints-heading">
        <h2 id="lints-heading">Lints</h2>
        <LintDiffList diff={detail.lintDiff} />
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="threads-heading">
        <h2 id="threads-heading">
          Threads <span className={styles.small}>({unresolved} unresolved of {detail.threads.length})</span>
        </h2>
        {permissions.comment ? (
          versionDoc.status === 'ready' ? (
            <NewThreadForm modelId={modelId} reviewNumber={review.number} document={versionDoc.document} onStarted={refresh} />
          ) : (
            <p className={styles.muted}>{versionDoc.status === 'loading' ? 'Loading the version…' : versionDoc.error}</p>
          )
        ) : (
          <p className={styles.muted}>You may read this review but not comment on it.</p>
        )}
        {detail.threads.length === 0 ? (
          <p className={styles.muted}>No threads yet.</p>
        ) : (
          <ol className={styles.threads} data-testid="review-threads">
            {detail.threads.map((t) => (
              <ThreadCard
                key={t.id}
                modelId={modelId}
                reviewNumber={review.number}
                reviewVersion={review.versionNumber}
                thread={t}
                permissions={permissions}
                runVersion={t.anchor.kind === 'trace-step' ? (runVersions.get(t.anchor.runId) ?? t.versionNumber) : null}
                focused={focusThread === t.id}
                onChanged={refresh}
              />
            ))}
          </ol>
        )}
      </section>

      {detail.decisions.length > 0 ? (
        <section className={`card ${styles.section}`} aria-labelledby="decisions-heading">
          <h2 id="decisions-heading">Decisions</h2>
          <ol className={styles.decisions} data-testid="review-decisions">
            {detail.decisions.map((d) => (
              <li key={d.id} data-testid="review-decision" data-decision={d.decision}>
                <strong>{d.author}</strong> {d.decision === 'approve' ? 'approved' : 'requested changes'} v{d.versionNumber} · {formatTime(d.createdAt)}
                {d.current ? '' : ' (an earlier version: no longer counts)'}
                {d.body ? <p className={styles.commentBody}>{d.body}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
