'use client';

/**
 * What a read-only share link shows: whether the server verified the verdict
 * (at the top; a refuted run says so loudly and shows the server's own
 * trace), the model version's diagrams, and a page of the trace whose states
 * the server derived from the stored moves. No edit, run, share or simulate
 * controls; no model id on the page.
 */
import { useMemo, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import { meetsExpectation, type Violation } from '@/lib/check';
import type { TraceWindow } from '@/lib/check/replay';
import { analyze } from '@/lib/check/replay';
import { clampStep, explainViolation, type TransitionTaken } from '@/lib/browser/trace-model';
import type { PublicShare } from '@/lib/transport/runs';
import { TraceView } from './TraceView';
import { explainAtEnd, useReplay, type ReplayedTrace } from './useReplay';
import { StateDiagrams } from './StateDiagram';
import { VerificationBanner, VerificationBadge } from './VerificationBanner';
import styles from './shared.module.css';
import vstyles from './verification.module.css';

/** The diagrams of a model before any step: no transition taken (one array, so they do not redraw). */
const NO_TRANSITIONS: TransitionTaken[] = [];

export type SharedWindow = { trace: 'reported' | 'server'; window: TraceWindow } | { trace: 'reported' | 'server'; error: string };

export function SharedTrace({ share, page, pageSize }: { share: PublicShare; page: SharedWindow | null; pageSize: number }) {
  const document = share.document as ModelDocument;
  const analyzed = useMemo(() => analyze(document), [document]);
  const run = share.run;
  const scenarioName = run?.scenario ?? share.scenario;
  const scenario = analyzed.ok && scenarioName ? analyzed.model.scenarios.find((s) => s.source.name === scenarioName)?.source : undefined;
  const stats = (run?.stats ?? null) as { distinctStates?: number; transitions?: number; depth?: number; elapsedMs?: number; incompleteReason?: string } | null;
  const violation = (run?.trace?.violation ?? null) as Violation | null;
  const expected = scenario?.expect ?? null;
  const meets = run && expected ? meetsExpectation(expected, run.verdict as 'pass', violation) : null;
  const verification = run?.verification ?? null;
  const refuted = verification?.status === 'refuted';
  const reportedText = run ? `${run.verdict}${violation ? ` (${violation.kind}${violation.name ? ` ${violation.name}` : ''})` : stats?.incompleteReason ? ` (${stats.incompleteReason})` : ''}` : '';

  return (
    <div className={styles.page} data-testid="shared-view" data-read-only="true">
      {run && verification ? <VerificationBanner verification={verification} reported={reportedText} /> : null}
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
          <div className={styles.verdictBox} data-testid="shared-verdict" data-verdict={run.verdict} data-status={verification?.status}>
            <span className={`${styles.verdict} ${styles[`verdict-${run.verdict}`] ?? ''}`} style={refuted ? { textDecoration: 'line-through' } : undefined}>
              {run.verdict}
              {stats?.incompleteReason ? ` (${stats.incompleteReason})` : ''}
            </span>
            {verification ? <VerificationBadge status={verification.status} title={verification.reason ?? undefined} /> : null}
            {expected ? (
              <span className={styles.meta}>
                expected {expected.verdict === 'pass' ? 'pass' : `${expected.kind}${expected.name ? ` ${expected.name}` : ''}`} · {meets ? 'meets it' : 'does not meet it'}
                {refuted ? ' (as reported)' : ''}
              </span>
            ) : null}
            {stats ? (
              <span className={styles.meta} data-testid="shared-stats">
                {refuted ? 'reported: ' : ''}
                {(stats.distinctStates ?? 0).toLocaleString('en')} states · {(stats.transitions ?? 0).toLocaleString('en')} transitions · depth {stats.depth ?? 0}
              </span>
            ) : null}
          </div>
        ) : null}
      </header>
      {violation && !(refuted && page?.trace === 'server') ? (
        <p className={styles.summary} data-testid="shared-violation">
          {explainViolation(violation)}
        </p>
      ) : null}
      {!analyzed.ok ? (
        <p className={styles.error}>This version of the model cannot be shown: {analyzed.issues[0]?.message}</p>
      ) : page && scenarioName ? (
        <SharedPage document={document} share={share} page={page} pageSize={pageSize} />
      ) : (
        <section className={styles.card}>
          <h2>State machines</h2>
          {scenarioName ? <InitialDiagram document={document} scenario={scenarioName} /> : <StateDiagramsOfModel document={document} />}
        </section>
      )}
    </div>
  );
}

function SharedPage({ document, share, page, pageSize }: { document: ModelDocument; share: PublicShare; page: SharedWindow; pageSize: number }) {
  const run = share.run!;
  const server = page.trace === 'server';
  const total = server ? (run.verification.server?.length ?? 0) : (run.trace?.length ?? 0);
  const endViolation = ((server ? run.verification.server?.violation : run.trace?.violation) ?? null) as Violation | null;
  const hasOther = server ? !!run.trace : !!run.verification.server?.length;
  const heading = server ? "The server's trace" : run.verification.status === 'refuted' ? 'The reported trace (refuted)' : 'Trace';
  return (
    <section className={styles.card} data-testid="shared-trace" data-trace={page.trace}>
      <h2>{heading}</h2>
      {server && endViolation ? (
        <p className={styles.summary} data-testid="server-violation">
          {explainViolation(endViolation)}
        </p>
      ) : null}
      {hasOther ? (
        <a className={vstyles.pager} href={`?trace=${server ? 'reported' : 'server'}`} data-testid="other-trace">
          {server ? 'Show the trace the browser reported' : "Show the server's trace"}
        </a>
      ) : null}
      {'error' in page ? (
        <p className={styles.error} data-testid="shared-trace-error">
          {page.error}
        </p>
      ) : (
        <WindowView document={document} share={share} window={page.window} trace={page.trace} violation={endViolation} total={total} pageSize={pageSize} />
      )}
    </section>
  );
}

function WindowView({
  document,
  share,
  window: w,
  trace: which,
  violation,
  total,
  pageSize,
}: {
  document: ModelDocument;
  share: PublicShare;
  window: TraceWindow;
  trace: 'reported' | 'server';
  violation: Violation | null;
  total: number;
  pageSize: number;
}) {
  const analyzed = useMemo(() => analyze(document), [document]);
  const scenario = share.run?.scenario ?? share.scenario;
  const trace: ReplayedTrace = useMemo(() => {
    const views = [w.before, ...w.steps.map((s) => s.state)];
    const endsHere = w.rejectedAt === null && w.from + w.steps.length === total;
    return {
      initial: w.before,
      steps: w.steps,
      views,
      violation,
      problem: w.rejectedAt === null ? null : `move ${w.rejectedAt + 1} of the trace is not enabled in this model`,
      explanation: endsHere && analyzed.ok && scenario ? explainAtEnd(analyzed.model, scenario, violation, views) : null,
    };
  }, [w, violation, analyzed, scenario, total]);
  const wanted = which === 'reported' && share.step !== null ? share.step - w.from : w.steps.length;
  const [step, setStep] = useState(() => clampStep(wanted, w.steps.length));
  const paged = total > w.steps.length;
  const href = (from: number) => `?trace=${which}&from=${from}`;
  return (
    <>
      {paged ? (
        <nav className={vstyles.pager} data-testid="trace-pager">
          {w.from > 0 ? <a href={href(Math.max(0, w.from - pageSize))}>← steps {Math.max(1, w.from - pageSize + 1)}–{w.from}</a> : null}
          <span>
            steps {w.from + 1}–{w.from + w.steps.length} of {total}
          </span>
          {w.from + w.steps.length < total ? (
            <a href={href(w.from + w.steps.length)}>
              steps {w.from + w.steps.length + 1}–{Math.min(total, w.from + w.steps.length + pageSize)} →
            </a>
          ) : null}
        </nav>
      ) : null}
      {/* The page opens at its top, where the verification verdict is said; stepping then follows the selected row. */}
      <TraceView document={document} trace={trace} step={step} onStep={setStep} page={{ offset: w.from, total }} scrollOnMount={false} />
    </>
  );
}

function InitialDiagram({ document, scenario }: { document: ModelDocument; scenario: string }) {
  const analyzed = useMemo(() => analyze(document), [document]);
  const trace = useReplay(analyzed.ok ? analyzed.model : (null as never), scenario, {}, []);
  return <StateDiagrams document={document} view={trace.views[0]} taken={NO_TRANSITIONS} />;
}

function StateDiagramsOfModel({ document }: { document: ModelDocument }) {
  const view = {
    instances: document.resources.map((r) => ({ name: r.name, type: r.name, state: r.initial, stateKind: '', fields: {} })),
    locks: [],
    processes: [],
    faultsLeft: { crash: 0, leaseExpiry: 0, callFailure: 0 },
  };
  return <StateDiagrams document={document} view={view} taken={NO_TRANSITIONS} />;
}
