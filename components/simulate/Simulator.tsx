'use client';

/**
 * Manual simulation: the user picks which enabled move (or fault: a crash,
 * a lease expiring, a call failing) happens next, can step back, and can
 * start from any step of a checker trace. Every move goes through lib/check's
 * step API; the resource machines also run as XState actors that Stately's
 * inspector can show.
 */
import { useMemo, useState } from 'react';
import type { AnalyzedModel, ModelDocument } from '@/lib/model';
import { toViolation, type TraceStep, type Violation } from '@/lib/check';
import { openSession, replayMoves, type ReplayOptions } from '@/lib/check/replay';
import { qualifyLockNames, transitionsTaken } from '@/lib/browser/trace-model';
import { explainViolationValues } from '@/lib/check/explain';
import { Swimlanes } from '@/components/trace/Swimlanes';
import { StatePanel } from '@/components/trace/StatePanel';
import { ViolationText } from '@/components/trace/TraceView';
import { StateDiagrams } from '@/components/trace/StateDiagram';
import { useResourceActors, type InspectFn } from './useResourceActors';
import { InspectorControl } from './InspectorControl';
import styles from './simulate.module.css';

interface Point {
  state: Int32Array;
  step: TraceStep | null;
  violation: Violation | null;
}

export interface SimulatorProps {
  document: ModelDocument;
  model: AnalyzedModel;
  scenario: string;
  options: ReplayOptions;
  /** Moves to take first (a trace's steps up to where the user wants to start). */
  startMoves?: number[];
  onClose?: () => void;
}

export function Simulator({ document, model, scenario, options, startMoves = [], onClose }: SimulatorProps) {
  const session = useMemo(() => openSession(model, scenario, options), [model, scenario, options]);
  const [history, setHistory] = useState<Point[]>(() => {
    const r = replayMoves(session, startMoves);
    return [
      { state: session.initial, step: null, violation: session.initialViolation },
      ...r.steps.map((step, i) => ({ state: r.states[i + 1], step, violation: r.violations[i] })),
    ];
  });
  const [inspect, setInspect] = useState<InspectFn | null>(null);

  const current = history[history.length - 1];
  const views = useMemo(() => [session.initialView, ...history.slice(1).map((p) => p.step!.state)], [session, history]);
  const view = views[views.length - 1];
  const previous = views.length > 1 ? views[views.length - 2] : null;
  const moves = useMemo(() => (current.violation ? [] : session.api.moves(current.state)), [session, current]);
  const actorStates = useResourceActors(document, views, inspect);
  const steps = history.slice(1).map((p) => p.step!);
  const taken = useMemo(() => transitionsTaken(previous, view), [previous, view]);
  const explanation = useMemo(() => (current.violation ? explainViolationValues(model, scenario, current.violation, previous, view) : null), [model, scenario, current, previous, view]);

  const take = (move: number) => {
    const r = session.api.step(current.state, move);
    setHistory((h) => [...h, { state: r.state, step: r.step, violation: toViolation(r.violation) }]);
  };
  const back = () => setHistory((h) => (h.length > 1 ? h.slice(0, -1) : h));
  const restart = () => setHistory((h) => h.slice(0, 1));

  const stepMoves = moves.filter((m) => m.kind === 'step');
  const faults = moves.filter((m) => m.kind !== 'step');

  return (
    <div className={styles.sim} data-testid="simulator" data-steps={steps.length}>
      <div className={styles.head}>
        <h2>Manual simulation of {scenario}</h2>
        <div className={styles.buttons}>
          <button type="button" className="btn btn-small" onClick={back} disabled={history.length <= 1}>
            Step back
          </button>
          <button type="button" className="btn btn-small" onClick={restart} disabled={history.length <= 1}>
            Restart
          </button>
          <InspectorControl onInspect={(fn) => setInspect(() => fn)} />
          {onClose ? (
            <button type="button" className="btn btn-small" onClick={onClose}>
              Close
            </button>
          ) : null}
        </div>
      </div>
      <p className={styles.note}>
        Step {steps.length}
        {startMoves.length ? ` (started from step ${startMoves.length} of a trace)` : ''}. Pick what happens next; faults are offered when the scenario allows
        them.
      </p>

      {current.violation ? (
        <div className={styles.violation} data-testid="sim-violation">
          <ViolationText violation={current.violation} explanation={explanation} suffix=" — step back to try another interleaving." />
        </div>
      ) : (
        <div className={styles.moves}>
          <div>
            <h3>Enabled steps</h3>
            {stepMoves.length === 0 ? <p className={styles.note}>{moves.length ? 'Only faults can happen now.' : 'Nothing can move: every process has ended.'}</p> : null}
            <ul>
              {stepMoves.map((m) => (
                <li key={m.move}>
                  <button type="button" className={styles.move} onClick={() => take(m.move)} data-testid="sim-move" data-kind={m.kind} data-process={m.process}>
                    {qualifyLockNames(m.description, m.process, view)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>Faults</h3>
            {faults.length === 0 ? <p className={styles.note}>No fault can happen here (the scenario allows none, or its budget is spent).</p> : null}
            <ul>
              {faults.map((m) => (
                <li key={m.move}>
                  <button type="button" className={`${styles.move} ${styles.fault}`} onClick={() => take(m.move)} data-testid="sim-move" data-kind={m.kind} data-process={m.process}>
                    {qualifyLockNames(m.description, m.process, view)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}

      <div className={styles.layout}>
        <Swimlanes initial={session.initialView} steps={steps} current={steps.length} dimFuture={false} violatingStep={current.violation ? steps.length : null} />
        <StatePanel view={view} previous={previous} actorStates={actorStates} />
      </div>
      <StateDiagrams document={document} view={view} taken={taken} />
    </div>
  );
}
