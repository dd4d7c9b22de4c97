'use client';

/**
 * The check page: run one scenario or all in a Web Worker with live progress
 * and Stop, each verdict beside its `expect`, the statistics and the static
 * lints; every run stored; a violation opens the trace view, from which a
 * link can be shared or a manual simulation started.
 */
import Link from 'next/link';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import { lintModel, type CheckResult } from '@/lib/check';
import { analyze } from '@/lib/check/replay';
import { useCheckRunner, type JobSpec } from './useCheckRunner';
import { CheckForm, type FormValues } from './CheckForm';
import { ProgressPanel } from './ProgressPanel';
import { ResultsTable, type Entry } from './ResultsTable';
import { LintList } from './LintList';
import { createShare, fetchRuns, runBody, saveRun } from './api';
import { StoredRuns } from './StoredRuns';
import { StoredRunTrace } from './StoredRunTrace';
import { TracePanel } from './TracePanel';
import { useVerification } from './useVerification';
import type { PublicVerification, StoredRunSummary } from '@/lib/transport/runs';
import { Simulator } from '@/components/simulate/Simulator';
import styles from './check.module.css';

export interface CheckWorkbenchProps {
  modelId: string;
  modelName: string;
  versionNumber: number;
  isHead: boolean;
  document: ModelDocument;
}

export function CheckWorkbench({ modelId, modelName, versionNumber, isHead, document }: CheckWorkbenchProps) {
  const analyzed = useMemo(() => analyze(document), [document]);
  const model = analyzed.ok ? analyzed.model : null;
  const scenarios = useMemo(() => (model ? model.scenarios.map((s) => s.source) : []), [model]);
  const lints = useMemo(() => (model ? lintModel(model) : []), [model]);

  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [simulation, setSimulation] = useState<{ scenario: string; moves: number[]; options: { symmetry: boolean; mergeLocalSteps: boolean }; key: number } | null>(null);
  const [stoppedIn, setStoppedIn] = useState<number | null>(null);
  const [links, setLinks] = useState<Record<string, string>>({});

  // The runs stored for this version (by anyone): listed, and the newest per scenario shown until re-run here.
  const [storedRuns, setStoredRuns] = useState<StoredRunSummary[] | null>(null);
  const [storedError, setStoredError] = useState<string | null>(null);
  const [opened, setOpened] = useState<{ run: StoredRunSummary; step: number } | null>(null);
  const loadRuns = useCallback(async () => {
    const response = await fetchRuns(modelId, versionNumber);
    if (response.ok) {
      setStoredRuns(response.data.runs);
      setStoredError(null);
    } else setStoredError(response.failure.error);
  }, [modelId, versionNumber]);
  useEffect(() => {
    void loadRuns();
  }, [loadRuns]);
  // ?run=<id> (the editor's link to a stored run) opens that run's trace once the list is in.
  const runParam = useRef<string | null>(null);
  useEffect(() => {
    runParam.current = new URLSearchParams(window.location.search).get('run');
  }, []);
  useEffect(() => {
    const wanted = runParam.current;
    const run = wanted ? storedRuns?.find((r) => r.id === wanted) : undefined;
    if (!run) return;
    runParam.current = null;
    openStored(run);
  }, [storedRuns]);
  const latest = useMemo(() => {
    const byScenario: Record<string, StoredRunSummary> = {};
    for (const r of storedRuns ?? []) byScenario[r.scenario] ??= r;
    return byScenario;
  }, [storedRuns]);
  const openStored = (run: StoredRunSummary) => {
    setSelected(null);
    setOpened({ run, step: run.trace?.moves.length ?? 0 });
    requestAnimationFrame(() => window.document.getElementById('stored-trace')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };

  const shareRun = async (scenario: string) => {
    const runId = entries[scenario]?.runId;
    if (!runId) return;
    const response = await createShare({ modelId, versionNumber, runId, step: 0 });
    if (!response.ok) {
      setLinks((l) => ({ ...l, [scenario]: `could not make a link: ${response.failure.error}` }));
      return;
    }
    const url = new URL(response.data.url, window.location.origin).toString();
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setLinks((l) => ({ ...l, [scenario]: url }));
  };

  const store = useCallback(
    async (spec: JobSpec, result: CheckResult) => {
      const response = await saveRun(modelId, versionNumber, runBody(spec, result));
      if (response.ok) void loadRuns();
      setEntries((all) => {
        const entry = all[spec.scenario];
        if (!entry || entry.result !== result) return all;
        return {
          ...all,
          [spec.scenario]: {
            ...entry,
            runId: response.ok ? response.data.run.id : null,
            savedAt: Date.now(),
            verification: response.ok ? response.data.run.verification : null,
            saveError: response.ok ? null : response.failure.error,
          },
        };
      });
    },
    [modelId, versionNumber, loadRuns],
  );

  // Each stored run is "reported" until the server's background check settles it.
  const pending = useMemo(
    () =>
      Object.values(entries)
        .filter((e) => e.runId && e.verification?.status === 'reported')
        .map((e) => ({ scenario: e.spec.scenario, runId: e.runId!, since: e.savedAt ?? Date.now() })),
    [entries],
  );
  const settle = useCallback((scenario: string, runId: string, verification: PublicVerification) => {
    setEntries((all) => (all[scenario]?.runId === runId ? { ...all, [scenario]: { ...all[scenario], verification } } : all));
  }, []);
  useVerification(modelId, versionNumber, pending, settle);

  const onResult = useCallback(
    (spec: JobSpec, result: CheckResult) => {
      setEntries((all) => ({ ...all, [spec.scenario]: { spec, result, error: null, runId: null, saveError: null, verification: null } }));
      if (result.verdict === 'violation' && result.trace) {
        setSelected((current) => current ?? spec.scenario);
        setStep((s) => s);
      }
      void store(spec, result);
    },
    [store],
  );
  const onError = useCallback((spec: JobSpec, message: string) => {
    setEntries((all) => ({ ...all, [spec.scenario]: { spec, result: null, error: message, runId: null, saveError: null, verification: null } }));
  }, []);
  const runner = useCheckRunner({ onResult, onError });

  const start = (values: FormValues) => {
    const names = values.scenario === '*' ? scenarios.map((s) => s.name) : [values.scenario];
    setSelected(null);
    setStep(0);
    setStoppedIn(null);
    setEntries((all) => {
      const next = { ...all };
      for (const n of names) delete next[n];
      return next;
    });
    setLinks({});
    runner.run(
      names.map((name) => ({
        document,
        scenario: name,
        mode: values.mode,
        limits: values.mode === 'random' ? { maxDepth: values.maxDepth ?? 1000 } : { maxStates: values.maxStates, maxDepth: values.maxDepth, timeLimitMs: values.timeLimitMs },
        ...(values.mode === 'random' ? { runs: values.runs, seed: values.seed } : {}),
        symmetry: values.symmetry,
        mergeLocalSteps: values.mergeLocalSteps,
        ...(values.mode === 'exhaustive' && values.threads ? { threads: values.threads } : {}),
        expected: scenarios.find((s) => s.name === name)?.expect ?? null,
      })),
    );
  };

  // When Stop was clicked: the worker is gone once terminate() returns; the
  // page records how long the click took to show as stopped (to the commit).
  const stopClickedAt = useRef<number | null>(null);
  const stop = () => {
    stopClickedAt.current = performance.now();
    runner.stop();
  };
  useLayoutEffect(() => {
    if (runner.running || stopClickedAt.current === null) return;
    setStoppedIn(Math.round(performance.now() - stopClickedAt.current));
    stopClickedAt.current = null;
  }, [runner.running]);

  const selectTrace = (scenario: string) => {
    setOpened(null);
    setSelected(scenario);
    const r = entries[scenario]?.result;
    setStep(r?.trace ? r.trace.steps.length : 0);
  };

  const openSimulation = (scenario: string, moves: number[], options: { symmetry: boolean; mergeLocalSteps: boolean }) => {
    setSimulation({ scenario, moves, options, key: Date.now() });
    requestAnimationFrame(() => window.document.getElementById('simulator')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };

  const selectedEntry = selected ? entries[selected] : null;

  return (
    <div className={styles.page}>
      <nav className={styles.crumbs}>
        <Link href="/">Models</Link> <span aria-hidden>/</span> <Link href={`/models/${modelId}`}>{modelName}</Link> <span aria-hidden>/</span> <span>Check</span>
      </nav>
      <header className={styles.header}>
        <div>
          <h1>Check {modelName}</h1>
          <p className={styles.meta} data-testid="check-version">
            Version {versionNumber}
            {isHead ? ' (latest)' : ''} · every interleaving of each scenario, explored in your browser
          </p>
        </div>
        <div className={styles.actions}>
          <Link className="btn" href={`/models/${modelId}/edit`}>
            Open editor
          </Link>
        </div>
      </header>

      {!model ? (
        <section className={`card ${styles.section}`}>
          <h2>This version cannot be checked</h2>
          <p className={styles.error}>{!analyzed.ok ? analyzed.issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ') : ''}</p>
        </section>
      ) : (
        <>
          <section className={`card ${styles.section}`}>
            <h2>Run a check</h2>
            <CheckForm scenarios={scenarios.map((s) => s.name)} running={runner.running} onRun={start} onStop={stop} />
            <ProgressPanel live={runner.live} stoppedIn={stoppedIn} />
          </section>

          <section className={`card ${styles.section}`}>
            <h2>Scenarios</h2>
            <ResultsTable
              scenarios={scenarios}
              entries={entries}
              selected={selected}
              onShowTrace={selectTrace}
              onSimulate={(scenario) => openSimulation(scenario, [], { symmetry: true, mergeLocalSteps: true })}
              onShare={shareRun}
              links={links}
              latest={latest}
              onOpenStored={openStored}
            />
          </section>

          <section className={`card ${styles.section}`}>
            <h2>Stored runs of version {versionNumber}</h2>
            <StoredRuns scenarios={scenarios} runs={storedRuns} error={storedError} opened={opened?.run.id ?? null} onOpen={openStored} />
          </section>

          <section className={`card ${styles.section}`}>
            <h2>Static lints</h2>
            <LintList lints={lints} />
          </section>

          {selected && selectedEntry?.result?.trace ? (
            <section className={`card ${styles.section} ${styles.wide}`} data-testid="trace-section">
              <TracePanel
                key={`${selected}:${selectedEntry.result.stats.elapsedMs}`}
                modelId={modelId}
                versionNumber={versionNumber}
                document={document}
                model={model}
                entry={selectedEntry}
                step={step}
                onStep={setStep}
                onSimulate={(moves) => openSimulation(selected, moves, selectedEntry.result!.options)}
              />
            </section>
          ) : null}

          {opened && !selected ? (
            <section id="stored-trace" className={`card ${styles.section} ${styles.wide}`} data-testid="stored-trace-section">
              <StoredRunTrace
                key={opened.run.id}
                document={document}
                model={model}
                run={opened.run}
                step={opened.step}
                onStep={(step) => setOpened((o) => (o ? { ...o, step } : o))}
                onClose={() => setOpened(null)}
              />
            </section>
          ) : null}

          {simulation ? (
            <section id="simulator" className={`card ${styles.section} ${styles.wide}`}>
              <Simulator
                key={simulation.key}
                document={document}
                model={model}
                scenario={simulation.scenario}
                options={simulation.options}
                startMoves={simulation.moves}
                onClose={() => setSimulation(null)}
              />
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
