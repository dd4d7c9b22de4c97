'use client';

/**
 * The editor's Check: every scenario of the document being edited, checked
 * in the browser's worker through the check page's runner. Each verdict is
 * shown beside its scenario; a violation's trace opens inline (the draft is
 * not a version, so nothing is stored). When the document is exactly its
 * base version (no draft), the runs are stored against that version too and
 * each verdict links to its trace on the check page; so are the runs of a
 * draft that is then saved unchanged as a version (no merge), once it is.
 */
import Link from 'next/link';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { CheckResult } from '@/lib/check';
import type { EditorStore } from '@/lib/editor/store';
import { analyze } from '@/lib/check/replay';
import { useCheckRunner, type JobSpec } from '@/components/check/useCheckRunner';
import { runBody, saveRun } from '@/components/check/api';
import { verdictText } from '@/components/check/format';
import { explainViolation } from '@/lib/browser/trace-model';
import { TraceView } from '@/components/trace/TraceView';
import { useReplay } from '@/components/trace/useReplay';
import { useDoc, useProblems } from './context';
import styles from './draft-check.module.css';

export interface DraftVerdict {
  result: CheckResult | null;
  error: string | null;
  /** The run stored against the base version (only when the document was that version). */
  runId: string | null;
}

interface DraftCheckValue {
  modelId: string;
  /** The document the verdicts belong to (null before the first check). */
  checked: ModelDocument | null;
  /** The version the checked document was identical to, if any (its runs are stored). */
  storedAs: number | null;
  verdicts: Record<string, DraftVerdict>;
  running: boolean;
  progress: { scenario: string; index: number; total: number } | null;
  check: () => void;
  stop: () => void;
  traceOf: string | null;
  showTrace: (scenario: string | null) => void;
}

const DraftCheckContext = createContext<DraftCheckValue | null>(null);

export function DraftCheckProvider({
  store,
  modelId,
  base,
  hasDraft,
  savedAs,
  onStart,
  children,
}: {
  store: EditorStore;
  modelId: string;
  base: number;
  hasDraft: boolean;
  /** The version last saved from exactly a document (no merge). */
  savedAs: { number: number; doc: ModelDocument } | null;
  onStart?: () => void;
  children: React.ReactNode;
}) {
  const [checked, setChecked] = useState<ModelDocument | null>(null);
  const [storedAs, setStoredAs] = useState<number | null>(null);
  const [verdicts, setVerdicts] = useState<Record<string, DraftVerdict>>({});
  const [traceOf, setTraceOf] = useState<string | null>(null);
  const storeAs = useRef<number | null>(null);
  /** What each finished scenario's check asked and found, to store later if the document becomes a version. */
  const finished = useRef(new Map<string, { spec: JobSpec; result: CheckResult }>());

  const storeRun = useCallback(
    (version: number, spec: JobSpec, result: CheckResult) => {
      if (result.incompleteReason === 'stopped') return;
      void saveRun(modelId, version, runBody(spec, result)).then((response) => {
        if (!response.ok) return;
        setVerdicts((all) => (all[spec.scenario]?.result === result ? { ...all, [spec.scenario]: { ...all[spec.scenario], runId: response.data.run.id } } : all));
      });
    },
    [modelId],
  );

  const onResult = useCallback(
    (spec: JobSpec, result: CheckResult) => {
      setVerdicts((all) => ({ ...all, [spec.scenario]: { result, error: null, runId: null } }));
      finished.current.set(spec.scenario, { spec, result });
      if (storeAs.current !== null) storeRun(storeAs.current, spec, result);
    },
    [storeRun],
  );

  // The checked draft was just saved, unchanged, as a version: its runs are that version's runs.
  useEffect(() => {
    if (!savedAs || savedAs.doc !== checked || storeAs.current !== null) return;
    storeAs.current = savedAs.number;
    setStoredAs(savedAs.number);
    for (const { spec, result } of finished.current.values()) storeRun(savedAs.number, spec, result);
  }, [savedAs, checked, storeRun]);
  const onError = useCallback((spec: JobSpec, message: string) => {
    setVerdicts((all) => ({ ...all, [spec.scenario]: { result: null, error: message, runId: null } }));
  }, []);
  const runner = useCheckRunner({ onResult, onError });

  const check = useCallback(() => {
    const doc = store.getState().doc;
    const analyzed = analyze(doc);
    if (!analyzed.ok || runner.running) return;
    storeAs.current = hasDraft ? null : base;
    setStoredAs(storeAs.current);
    finished.current = new Map();
    setChecked(doc);
    setVerdicts({});
    setTraceOf(null);
    onStart?.();
    runner.run(
      analyzed.model.scenarios.map((s) => ({
        document: doc,
        scenario: s.source.name,
        mode: 'exhaustive' as const,
        limits: {},
        symmetry: true,
        mergeLocalSteps: true,
        expected: s.source.expect ?? null,
      })),
    );
  }, [store, runner, hasDraft, base, onStart]);

  const live = runner.live;
  const value = useMemo<DraftCheckValue>(
    () => ({
      modelId,
      checked,
      storedAs,
      verdicts,
      running: runner.running,
      progress: live ? { scenario: live.scenario, index: live.index, total: live.total } : null,
      check,
      stop: runner.stop,
      traceOf,
      showTrace: setTraceOf,
    }),
    [modelId, checked, storedAs, verdicts, runner.running, runner.stop, live, check, traceOf],
  );
  return <DraftCheckContext.Provider value={value}>{children}</DraftCheckContext.Provider>;
}

/** Null outside a provider (a read-only view of an old version has no Check). */
export const useDraftCheck = () => useContext(DraftCheckContext);

/** The header's Check / Stop button; disabled, with the reason, while the document has errors. */
export function DraftCheckButton() {
  const ctx = useDraftCheck();
  const errors = useProblems().filter((p) => p.severity === 'error').length;
  const scenarios = useDoc().scenarios.length;
  if (!ctx) return null;
  if (ctx.running) {
    return (
      <button type="button" className="btn btn-small" onClick={ctx.stop} data-testid="editor-check-stop">
        Stop check{ctx.progress ? ` (${ctx.progress.index + 1}/${ctx.progress.total})` : ''}
      </button>
    );
  }
  const reason = errors > 0 ? `Fix ${errors} problem${errors === 1 ? '' : 's'} first: an invalid model cannot be checked` : scenarios === 0 ? 'Add a scenario first: a check explores a scenario' : null;
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        onClick={ctx.check}
        disabled={reason !== null}
        aria-describedby={reason ? 'editor-check-reason' : undefined}
        title={reason ?? 'Check every scenario of this document in your browser'}
        data-testid="editor-check"
      >
        ▶ Check
      </button>
      {reason ? (
        <span id="editor-check-reason" className={styles.reason} data-testid="editor-check-reason">
          {reason}
        </span>
      ) : null}
    </>
  );
}

/** A scenario's verdict from the last Check, for its entry in the scenario list (else `fallback`, its expectation). */
export function DraftVerdictMark({ name, fallback }: { name: string; fallback: string }) {
  const ctx = useDraftCheck();
  const doc = useDoc();
  const v = ctx?.verdicts[name];
  if (!ctx || !ctx.checked) return <>{fallback}</>;
  if (!v) return ctx.running ? <span className={styles.pending}>checking…</span> : <>{fallback}</>;
  if (v.error) return <span className={styles.bad} title={v.error}>error</span>;
  const r = v.result!;
  const stale = doc !== ctx.checked;
  const meets = r.expected ? r.meetsExpectation : null;
  return (
    <span
      className={`${styles.mark} ${styles[`v-${r.verdict}`]} ${stale ? styles.stale : ''}`}
      data-testid="draft-verdict"
      data-scenario={name}
      data-verdict={r.verdict}
      title={`Checked: ${verdictText(r.verdict, r.incompleteReason)}${meets === null ? '' : meets ? ', as expected' : `, expected ${r.expected!.verdict}`}${stale ? ' (checked before your latest edits)' : ''}`}
    >
      {verdictText(r.verdict, r.incompleteReason)}
      {meets === false ? ' ✗' : meets ? ' ✓' : ''}
    </span>
  );
}

/** Under the scenario list: what the last Check found, and where each trace opens. */
export function DraftCheckSummary() {
  const ctx = useDraftCheck();
  const doc = useDoc();
  if (!ctx || !ctx.checked) return null;
  const stale = doc !== ctx.checked;
  const names = ctx.checked.scenarios.map((s) => s.name);
  return (
    <div className={styles.summary} data-testid="draft-check-summary" aria-live="polite">
      <div className={styles.summaryTitle}>
        {ctx.running ? `Checking ${ctx.progress ? `${ctx.progress.scenario} (${ctx.progress.index + 1}/${ctx.progress.total})` : '…'}` : 'Last check'}
        {stale ? <span className={styles.stale}> · before your latest edits</span> : null}
      </div>
      <ul className={styles.list}>
        {names.map((name) => {
          const v = ctx.verdicts[name];
          const r = v?.result;
          return (
            <li key={name} data-testid="draft-check-row" data-scenario={name}>
              <span className={styles.name}>{name}</span>{' '}
              {r ? <span className={styles[`v-${r.verdict}`]}>{verdictText(r.verdict, r.incompleteReason)}</span> : v?.error ? <span className={styles.bad}>{v.error}</span> : <span className="muted">…</span>}
              {r?.violation ? <div className={styles.why}>{explainViolation(r.violation)}</div> : null}
              {r?.trace ? (
                <div className={styles.links}>
                  <button type="button" className="btn btn-small" onClick={() => ctx.showTrace(name)} data-testid="draft-show-trace">
                    Show trace
                  </button>
                  {v.runId && ctx.storedAs !== null ? (
                    <Link href={`/models/${ctx.modelId}/check?version=${ctx.storedAs}&run=${v.runId}`} data-testid="draft-check-page-trace">
                      on the check page
                    </Link>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {ctx.storedAs === null ? (
        <p className={styles.note}>These runs belong to your unsaved draft: the trace opens here. Save version, without further edits, to store them as runs of the new version.</p>
      ) : (
        <p className={styles.note}>Stored as runs of version {ctx.storedAs} (the document is unchanged since).</p>
      )}
    </div>
  );
}

/** The trace of one scenario's violation from the last Check, replayed on the checked document. */
export function DraftTrace() {
  const ctx = useDraftCheck();
  const [step, setStep] = useState<number | null>(null);
  const name = ctx?.traceOf ?? null;
  const result = name ? ctx?.verdicts[name]?.result : null;
  const model = useMemo(() => (ctx?.checked ? analyze(ctx.checked) : null), [ctx?.checked]);
  if (!ctx || !name || !result?.trace || !model?.ok || !ctx.checked) return null;
  return <DraftTraceView key={name} document={ctx.checked} model={model.model} result={result} step={step} onStep={setStep} onClose={() => ctx.showTrace(null)} />;
}

function DraftTraceView({ document, model, result, step, onStep, onClose }: { document: ModelDocument; model: Parameters<typeof useReplay>[0]; result: CheckResult; step: number | null; onStep: (s: number) => void; onClose: () => void }) {
  const moves = result.trace!.steps.map((s) => s.move);
  const trace = useReplay(model, result.scenario, result.options, moves, result.violation);
  return (
    <section className={styles.trace} data-testid="draft-trace" aria-label={`Trace of ${result.scenario}`}>
      <h3>
        Trace of {result.scenario}: <span className={styles[`v-${result.verdict}`]}>{verdictText(result.verdict, result.incompleteReason)}</span>
      </h3>
      <TraceView
        document={document}
        trace={trace}
        step={step ?? moves.length}
        onStep={onStep}
        globalKeys={false}
        scrollOnMount={false}
        actions={
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close trace
          </button>
        }
      />
    </section>
  );
}
