'use client';

/**
 * A stored run's trace on the review page: fetched from the runs API (move
 * codes), replayed in the browser on the run's version, shown in the shared
 * trace view at a step. `actions` gets the selected step (e.g. "Comment on
 * this step").
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AnalyzedModel, ModelDocument } from '@/lib/model';
import type { Violation } from '@/lib/check';
import { analyze } from '@/lib/check/replay';
import { clampStep } from '@/lib/browser/trace-model';
import { TraceView } from '@/components/trace/TraceView';
import { useReplay } from '@/components/trace/useReplay';
import { getRun, type StoredRun } from './api';
import { useVersionDocument } from './useVersionDocument';
import styles from './review.module.css';

export interface RunRef {
  runId: string;
  versionNumber: number;
  scenario: string;
}

export function RunTrace({ modelId, run, step, actions }: { modelId: string; run: RunRef; step?: number; actions?: (step: number) => ReactNode }) {
  const [stored, setStored] = useState<{ key: string; run: StoredRun } | { key: string; error: string } | null>(null);
  const document = useVersionDocument(modelId, run.versionNumber);
  useEffect(() => {
    let live = true;
    getRun(modelId, run.versionNumber, run.runId).then((r) => {
      if (live) setStored(r.ok ? { key: run.runId, run: r.data.run } : { key: run.runId, error: r.failure.error });
    });
    return () => {
      live = false;
    };
  }, [modelId, run.versionNumber, run.runId]);

  if (!stored || stored.key !== run.runId || document.status === 'loading') return <p className={styles.muted}>Loading the trace…</p>;
  if ('error' in stored) return <p className={styles.error}>This run cannot be shown: {stored.error}</p>;
  if (document.status === 'error') return <p className={styles.error}>Version {run.versionNumber} cannot be loaded: {document.error}</p>;
  const moves = stored.run.trace?.moves ?? stored.run.verification.server?.moves ?? null;
  if (!moves) return <p className={styles.muted}>This run passed: it has no trace.</p>;
  return <Replayed document={document.document} run={stored.run} moves={moves} step={step} actions={actions} />;
}

function Replayed({ document, run, moves, step, actions }: { document: ModelDocument; run: StoredRun; moves: number[]; step?: number; actions?: (step: number) => ReactNode }) {
  const analyzed = useMemo(() => analyze(document), [document]);
  if (!analyzed.ok) return <p className={styles.error}>This version is not a valid model: {analyzed.issues[0]?.message}</p>;
  return <ReplayedView document={document} model={analyzed.model} run={run} moves={moves} step={step} actions={actions} />;
}

function ReplayedView({
  document,
  model,
  run,
  moves,
  step,
  actions,
}: {
  document: ModelDocument;
  model: AnalyzedModel;
  run: StoredRun;
  moves: number[];
  step?: number;
  actions?: (step: number) => ReactNode;
}) {
  const options = useMemo(() => ({ symmetry: run.options.symmetry, mergeLocalSteps: run.options.mergeLocalSteps }), [run.options.symmetry, run.options.mergeLocalSteps]);
  const trace = useReplay(model, run.scenario, options, moves, (run.trace?.violation ?? null) as Violation | null);
  const [current, setCurrent] = useState(() => clampStep(step ?? trace.steps.length, trace.steps.length));
  useEffect(() => {
    if (step !== undefined) setCurrent(clampStep(step, trace.steps.length));
  }, [step, trace.steps.length]);
  return (
    <TraceView
      document={document}
      trace={trace}
      step={current}
      onStep={setCurrent}
      globalKeys={false}
      scrollOnMount={false}
      actions={actions ? actions(current) : undefined}
    />
  );
}
