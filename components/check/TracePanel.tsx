'use client';

import { useState } from 'react';
import type { AnalyzedModel, ModelDocument } from '@/lib/model';
import { TraceView } from '@/components/trace/TraceView';
import { useReplay } from '@/components/trace/useReplay';
import { createShare } from './api';
import type { Entry } from './ResultsTable';
import { verdictText } from './format';
import { VerificationBadge } from '@/components/trace/VerificationBanner';
import styles from './check.module.css';

export function TracePanel({
  modelId,
  versionNumber,
  document,
  model,
  entry,
  step,
  onStep,
  onSimulate,
}: {
  modelId: string;
  versionNumber: number;
  document: ModelDocument;
  model: AnalyzedModel;
  entry: Entry;
  step: number;
  onStep: (step: number) => void;
  onSimulate: (moves: number[]) => void;
}) {
  const result = entry.result!;
  const moves = result.trace!.steps.map((s) => s.move);
  const trace = useReplay(model, result.scenario, result.options, moves, result.violation);
  const [link, setLink] = useState<{ url: string; step: number; copied: boolean } | null>(null);
  const [shareError, setShareError] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);

  const copyLink = async () => {
    if (!entry.runId) return;
    setSharing(true);
    setShareError(null);
    const response = await createShare({ modelId, versionNumber, runId: entry.runId, step });
    setSharing(false);
    if (!response.ok) {
      setShareError(response.failure.error);
      return;
    }
    const url = new URL(response.data.url, window.location.origin).toString();
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // No clipboard permission: the link is shown to copy by hand.
    }
    setLink({ url, step, copied });
  };

  return (
    <>
      <h2>
        Trace of {result.scenario}: <span className={styles[`verdict-${result.verdict}`]}>{verdictText(result.verdict, result.incompleteReason)}</span>
        {entry.verification ? <VerificationBadge status={entry.verification.status} title={entry.verification.reason ?? undefined} /> : null}
      </h2>
      {entry.verification?.status === 'refuted' ? <p className={styles.error} data-testid="trace-refuted">The server refuted this run: {entry.verification.reason}</p> : null}
      <p className={styles.note}>
        The shortest interleaving that breaks the design ({trace.steps.length} steps), replayed through the checker&apos;s step API.
      </p>
      <TraceView
        document={document}
        trace={trace}
        step={step}
        onStep={onStep}
        actions={
          <>
            <button type="button" className="btn btn-small" onClick={copyLink} disabled={!entry.runId || sharing} title={entry.runId ? undefined : 'saving the run…'}>
              Copy link
            </button>
            <button type="button" className="btn btn-small" onClick={() => onSimulate(moves.slice(0, Math.min(step, moves.length)))}>
              Simulate from this step
            </button>
          </>
        }
      />
      {link ? (
        <div className={styles.share}>
          <span className={styles.note}>{link.copied ? 'Copied' : 'Copy this'} read-only link to step {link.step}:</span>
          <input className={`input ${styles.shareInput}`} readOnly value={link.url} data-testid="share-link" onFocus={(e) => e.target.select()} />
        </div>
      ) : null}
      {shareError ? <p className={styles.error}>Could not make a link: {shareError}</p> : null}
    </>
  );
}
