'use client';

/**
 * What a read-only share link shows: the model version's diagram, the trace
 * at the shared step (the slider still moves through it) and the verdict.
 * No edit, run, share or simulate controls; no model id on the page.
 */
import { useMemo, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import { meetsExpectation, type ViolationReport } from '@/lib/check';
import { analyze } from '@/lib/browser/replay';
import { clampStep, explainViolation } from '@/lib/browser/trace-model';
import type { PublicShare } from '@/lib/server/runs-api';
import { TraceView } from './TraceView';
import { useReplay } from './useReplay';
import { StateDiagrams } from './StateDiagram';
import styles from './shared.module.css';

export function SharedTrace({ share }: { share: PublicShare }) {
  const document = share.document as ModelDocument;
  const analyzed = useMemo(() => analyze(document), [document]);
  const run = share.run;
  const scenarioName = run?.scenario ?? share.scenario;
  const scenario = analyzed.ok && scenarioName ? analyzed.model.scenarios.find((s) => s.source.name === scenarioName)?.source : undefined;
  const stats = (run?.stats ?? null) as { distinctStates?: number; transitions?: number; depth?: number; elapsedMs?: number; incompleteReason?: string } | null;
  const violation = (run?.trace?.violation ?? null) as ViolationReport | null;
  const expected = scenario?.expect ?? null;
  const meets = run && expected ? meetsExpectation(expected, run.verdict as 'pass', violation) : null;

  return (
    <div className={styles.page} data-testid="shared-view" data-read-only="true">
      <header className={styles.header}>
        <div>
          <span className={styles.badge}>Read-only link</span>
          <h1 data-testid="shared-model-name">{document.name}</h1>
          <p className={styles.meta}>
            Version {share.versionNumber}
            {scenarioName ? (
              <>
                {' '}
                · scenario <strong data-testid="shared-scenario">{scenarioName}</strong>
              </>
            ) : null}
          </p>
        </div>
        {run ? (
          <div className={styles.verdictBox} data-testid="shared-verdict" data-verdict={run.verdict}>
            <span className={`${styles.verdict} ${styles[`verdict-${run.verdict}`] ?? ''}`}>
              {run.verdict}
              {stats?.incompleteReason ? ` (${stats.incompleteReason})` : ''}
            </span>
            {expected ? (
              <span className={styles.meta}>
                expected {expected.verdict === 'pass' ? 'pass' : `${expected.kind}${expected.name ? ` ${expected.name}` : ''}`} · {meets ? 'meets it' : 'does not meet it'}
              </span>
            ) : null}
            {stats ? (
              <span className={styles.meta} data-testid="shared-stats">
                {(stats.distinctStates ?? 0).toLocaleString('en')} states · {(stats.transitions ?? 0).toLocaleString('en')} transitions · depth {stats.depth ?? 0}
              </span>
            ) : null}
          </div>
        ) : null}
      </header>
      {violation ? (
        <p className={styles.summary} data-testid="shared-violation">
          {explainViolation(violation)}
        </p>
      ) : null}
      {!analyzed.ok ? (
        <p className={styles.error}>This version of the model cannot be shown: {analyzed.issues[0]?.message}</p>
      ) : run?.trace && scenarioName ? (
        <SharedReplay document={document} share={share} />
      ) : (
        <section className={styles.card}>
          <h2>State machines</h2>
          {scenarioName ? (
            <InitialDiagram document={document} scenario={scenarioName} />
          ) : (
            <StateDiagramsOfModel document={document} />
          )}
        </section>
      )}
    </div>
  );
}

function SharedReplay({ document, share }: { document: ModelDocument; share: PublicShare }) {
  const analyzed = useMemo(() => analyze(document), [document]);
  const run = share.run!;
  const options = run.options as { symmetry?: boolean; mergeLocalSteps?: boolean };
  const moves = useMemo(() => run.trace!.steps.map((s) => s.move), [run]);
  const trace = useReplay(analyzed.ok ? analyzed.model : (null as never), run.scenario, options, moves);
  const [step, setStep] = useState(() => clampStep(share.step, moves.length));
  return (
    <section className={styles.card}>
      <TraceView document={document} trace={trace} step={step} onStep={setStep} />
    </section>
  );
}

function InitialDiagram({ document, scenario }: { document: ModelDocument; scenario: string }) {
  const analyzed = useMemo(() => analyze(document), [document]);
  const trace = useReplay(analyzed.ok ? analyzed.model : (null as never), scenario, {}, []);
  return <StateDiagrams document={document} view={trace.views[0]} taken={[]} />;
}

function StateDiagramsOfModel({ document }: { document: ModelDocument }) {
  const view = {
    instances: document.resources.map((r) => ({ name: r.name, type: r.name, state: r.initial, stateKind: '', fields: {} })),
    locks: [],
    processes: [],
    faultsLeft: { crash: 0, leaseExpiry: 0, callFailure: 0 },
  };
  return <StateDiagrams document={document} view={view} taken={[]} />;
}
