'use client';

/** A stored run reopened: its moves replayed on this version through the step API, in the trace view. */
import type { AnalyzedModel, ModelDocument } from '@/lib/model';
import type { Violation } from '@/lib/check';
import type { StoredRunSummary } from '@/lib/transport/runs';
import { TraceView } from '@/components/trace/TraceView';
import { useReplay } from '@/components/trace/useReplay';
import { VerificationBadge } from '@/components/trace/VerificationBanner';
import { optionsText, whenText } from './StoredRuns';
import { verdictText } from './format';
import styles from './check.module.css';

export function StoredRunTrace({
  document,
  model,
  run,
  step,
  onStep,
  onClose,
}: {
  document: ModelDocument;
  model: AnalyzedModel;
  run: StoredRunSummary;
  step: number;
  onStep: (step: number) => void;
  onClose: () => void;
}) {
  const moves = run.trace?.moves ?? [];
  const trace = useReplay(model, run.scenario, { symmetry: run.options.symmetry, mergeLocalSteps: run.options.mergeLocalSteps }, moves, (run.trace?.violation ?? null) as Violation | null);
  return (
    <>
      <h2 data-testid="stored-trace-title">
        Stored run of {run.scenario}: <span className={styles[`verdict-${run.verdict}`]}>{verdictText(run.verdict)}</span>{' '}
        <VerificationBadge status={run.verification.status} title={run.verification.reason ?? undefined} />
      </h2>
      <p className={styles.note}>
        Checked by {run.author} on {whenText(run.createdAt)} ({optionsText(run.options)}); {moves.length} steps, replayed through the checker&apos;s step API.
      </p>
      {trace.problem ? <p className={styles.error}>{trace.problem}</p> : null}
      <TraceView
        document={document}
        trace={trace}
        step={step}
        onStep={onStep}
        actions={
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close
          </button>
        }
      />
    </>
  );
}
