'use client';

/**
 * The trace view: a slider and ←/→ keys move through the steps; the swimlanes
 * show every step, the panel the full state at the selected one, the diagrams
 * each resource's current state and the edge just taken, and the violation is
 * said in one sentence at the end.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import type { ModelDocument } from '@/lib/model';
import { explainViolation, transitionsTaken } from '@/lib/browser/trace-model';
import type { Violation } from '@/lib/check';
import type { ViolationExplanation } from '@/lib/check/explain';
import type { ReplayedTrace } from './useReplay';
import { Swimlanes } from './Swimlanes';
import { StatePanel } from './StatePanel';
import { StateDiagrams } from './StateDiagram';
import styles from './trace.module.css';

export interface TraceViewProps {
  document: ModelDocument;
  trace: ReplayedTrace;
  step: number;
  onStep: (step: number) => void;
  /** Buttons shown in the toolbar (Copy link, Simulate from here); none on a read-only link. */
  actions?: ReactNode;
  /** Listen to ←/→ on the whole page (off when several views share a page). */
  globalKeys?: boolean;
  /** When `trace` is a page of a longer trace: the number of the step before its first, and the whole length. */
  page?: { offset: number; total: number };
  /** Scroll the selected step into view when first shown (default true). */
  scrollOnMount?: boolean;
}

export function TraceView({ document, trace, step, onStep, actions, globalKeys = true, page, scrollOnMount = true }: TraceViewProps) {
  const offset = page?.offset ?? 0;
  const last = trace.steps.length;
  const current = Math.max(0, Math.min(last, step));
  const view = trace.views[current];
  const previous = current > 0 ? trace.views[current - 1] : null;
  const taken = useMemo(() => transitionsTaken(previous, view), [previous, view]);
  const total = page?.total ?? last;
  const endsHere = offset + last === total;
  // A liveness violation is a lasso: its last steps repeat for ever, and no one step breaks anything.
  const cycleStart = trace.violation?.cycleStart ?? null;
  const violatingStep = trace.violation && endsHere && cycleStart === null ? last : null;

  useEffect(() => {
    if (!globalKeys) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'ArrowRight') onStep(Math.min(last, current + 1));
      else if (event.key === 'ArrowLeft') onStep(Math.max(0, current - 1));
      else if (event.key === 'Home') onStep(0);
      else if (event.key === 'End') onStep(last);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [globalKeys, current, last, onStep]);

  return (
    <div className={styles.view} data-testid="trace-view" data-step={offset + current} data-steps={total}>
      {trace.problem ? <div className={styles.violation}>This trace does not replay: {trace.problem}</div> : null}
      <div className={styles.toolbar}>
        <button type="button" className="btn btn-small" onClick={() => onStep(Math.max(0, current - 1))} disabled={current === 0} aria-label="Previous step">
          ←
        </button>
        <input
          className={styles.slider}
          type="range"
          min={0}
          max={last}
          step={1}
          value={current}
          onChange={(e) => onStep(Number(e.target.value))}
          aria-label="Trace step"
          data-testid="trace-slider"
        />
        <button type="button" className="btn btn-small" onClick={() => onStep(Math.min(last, current + 1))} disabled={current === last} aria-label="Next step">
          →
        </button>
        <span className={styles.stepLabel} data-testid="trace-step-label">
          {offset + current === 0 ? 'Initial state' : `Step ${offset + current} of ${total}`}
        </span>
        {actions}
      </div>
      <span className={styles.hint}>← / → step through the trace · click a row to jump to it</span>
      {/* Wide screens: the diagrams and the state stay beside the table (sticky) and follow the slider. */}
      <div className={styles.body} data-testid="trace-body">
        <div className={styles.areaLanes}>
          <Swimlanes initial={trace.initial} steps={trace.steps} current={current} onSelect={onStep} violatingStep={violatingStep}
            offset={offset}
            scrollOnMount={scrollOnMount}
            cycleStart={cycleStart}
            total={total}
          />
        </div>
        {/* On wide screens this column scrolls on its own: focusable, so the keyboard can scroll it too. */}
        <div className={styles.side} data-testid="trace-side" tabIndex={0} role="region" aria-label="The state at this step">
          {trace.violation ? (
            <div className={`${styles.violation} ${styles.areaWhy}`} data-testid="violation-sentence" data-at-end={endsHere && current === last ? 'true' : 'false'}>
              {cycleStart !== null
                ? `For ever: steps ${cycleStart + 1}–${total} repeat (back to ${cycleStart === 0 ? 'the initial state' : `the state after step ${cycleStart}`}): `
                : endsHere && current === last
                  ? 'At this step: '
                  : `At step ${total}: `}
              <ViolationText violation={trace.violation} explanation={trace.explanation ?? null} />
            </div>
          ) : null}
          <div className={styles.areaDiagrams}>
            <StateDiagrams document={document} view={view} taken={taken} />
          </div>
          <div className={styles.areaPanel}>
            <StatePanel view={view} previous={previous} />
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * What broke: for an invariant or assertion, the values of the parts that
 * made it false (its text and the checker's message below); otherwise the
 * checker's sentence.
 */
export function ViolationText({ violation, explanation, suffix = '' }: { violation: Violation; explanation: ViolationExplanation | null; suffix?: string }) {
  if (!explanation) {
    return (
      <>
        {explainViolation(violation)}
        <small>
          {violation.message}
          {suffix}
        </small>
      </>
    );
  }
  return (
    <>
      <span data-testid="violation-explanation">{explanation.sentence}</span>
      <small>
        <code>{explanation.source}</code> · {violation.message}
        {suffix}
      </small>
    </>
  );
}
