'use client';

/**
 * The trace as swimlanes: one lane per process, one row per step, each step
 * with what it read, wrote, acquired or released; the last column is the
 * state after the step (resources and lock holders), with what changed marked.
 */
import { useEffect, useRef } from 'react';
import type { StateView, TraceStep } from '@/lib/check';
import { changes, lockLabel, placeOf, qualifyLockNames } from '@/lib/browser/trace-model';
import styles from './trace.module.css';

export interface SwimlanesProps {
  initial: StateView;
  steps: TraceStep[];
  /** The selected step: 0 is the initial state, k the state after step k. */
  current: number;
  onSelect?: (step: number) => void;
  /** The step that breaks the design (1-based), if any. */
  violatingStep?: number | null;
  /** Rows after `current` are shown dimmed (a trace being stepped through). */
  dimFuture?: boolean;
  /** Number of the first row when this is a page of a longer trace (0: its start). */
  offset?: number;
  /** Scroll the selected row into view when first shown (off where the page's top must stay in view, e.g. a share link's verdict). */
  scrollOnMount?: boolean;
  /**
   * A liveness lasso: the steps after this step number (whole-trace numbering)
   * repeat for ever; the state after the last step is the state after it.
   */
  cycleStart?: number | null;
  /** Length of the whole trace (for a page of a longer one). */
  total?: number;
}

export function Swimlanes({
  initial,
  steps,
  current,
  onSelect,
  violatingStep = null,
  dimFuture = true,
  offset = 0,
  scrollOnMount = true,
  cycleStart = null,
  total,
}: SwimlanesProps) {
  const traceLength = total ?? offset + steps.length;
  const columns = initial.processes.length + 2;
  const lanes = initial.processes.map((p) => p.name);
  const placeOfLane = new Map(initial.processes.map((p) => [p.name, placeOf(p)]));
  const views = [initial, ...steps.map((s) => s.state)];
  const currentRow = useRef<HTMLTableRowElement | null>(null);
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current || scrollOnMount) currentRow.current?.scrollIntoView?.({ block: 'nearest' });
    shown.current = true;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current]);

  return (
    <div className={styles.lanesWrap}>
      <table className={styles.lanes} data-testid="swimlanes">
        <thead>
          <tr>
            <th>#</th>
            {lanes.map((lane) => (
              <th key={lane} data-testid="lane" data-process={lane}>
                {lane}{' '}
                {placeOfLane.get(lane) ? (
                  <span className={styles.place} data-testid="lane-place">
                    {placeOfLane.get(lane)}
                  </span>
                ) : null}
              </th>
            ))}
            <th>state after</th>
          </tr>
        </thead>
        <tbody>
          {views.map((view, k) => {
            const step = k > 0 ? steps[k - 1] : null;
            const changed = changes(k > 0 ? views[k - 1] : null, view);
            const cls = [styles.row, k === current ? styles.current : '', dimFuture && k > current ? styles.future : '', k === violatingStep ? styles.violating : ''].join(' ');
            const loopStartsHere = cycleStart !== null && k > 0 && offset + k === cycleStart + 1;
            const loopEndsHere = cycleStart !== null && k > 0 && offset + k === traceLength;
            return [
              loopStartsHere ? (
                <tr key={`loop-start-${k}`} className={styles.loopMarker} data-testid="loop-start">
                  <td colSpan={columns}>
                    ↻ Loop starts here: steps {cycleStart + 1}–{traceLength} repeat for ever
                  </td>
                </tr>
              ) : null,
              <tr
                key={k}
                ref={k === current ? currentRow : undefined}
                className={cls}
                data-testid="trace-row"
                data-step={offset + k}
                aria-current={k === current ? 'step' : undefined}
                onClick={() => onSelect?.(k)}
              >
                <td className={styles.num}>{offset + k}</td>
                {step && !lanes.includes(step.process) ? (
                  // No process took it (a heartbeat lapsing): across every lane.
                  <td colSpan={lanes.length} className={`${styles.lane} ${styles.active}`}>
                    <StepCard step={step} view={view} />
                  </td>
                ) : (
                  lanes.map((lane) => (
                    <td key={lane} className={`${styles.lane} ${step?.process === lane ? styles.active : ''}`}>
                      {step?.process === lane ? <StepCard step={step} view={view} /> : k === 0 && offset === 0 ? <span className={styles.none}>{processStart(view, lane)}</span> : null}
                    </td>
                  ))
                )}
                <td className={styles.after}>
                  <CompactState view={view} changed={changed} />
                </td>
              </tr>,
              loopEndsHere ? (
                <tr key={`loop-end-${k}`} className={styles.loopMarker} data-testid="loop-end">
                  <td colSpan={columns}>
                    ↩ Back to {cycleStart === 0 ? 'the initial state' : `the state after step ${cycleStart}`}: the loop repeats from step {cycleStart + 1}
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

function processStart(view: StateView, lane: string): string {
  const p = view.processes.find((x) => x.name === lane);
  return p ? `${p.operation} · ${p.status}` : '';
}

/** One step in its lane; `view` (the state after it) names the lock copies it touched. */
export function StepCard({ step, view }: { step: TraceStep; view?: StateView }) {
  const named = (text: string) => (view ? qualifyLockNames(text, step.process, view) : text);
  return (
    <div className={styles.stepCard} data-testid="step-card" data-process={step.process} data-kind={step.kind}>
      {step.kind !== 'step' ? <span className={styles.fault}>{faultTitle(step)}</span> : null}
      {step.steps.map((s, i) => (
        <div key={i} className={styles.stepText}>
          {s.label ? <span className={styles.label}>{s.label}</span> : null}
          {named(s.text)}
        </div>
      ))}
      {step.events.length > 0 ? (
        <ul className={styles.events}>
          {step.events.map((e, i) => (
            <li key={i} className={styles.event}>
              <span className={`${styles.kind} ${styles[`kind-${e.kind}`] ?? ''}`}>{e.kind}</span> {named(e.text)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function faultTitle(step: TraceStep): string {
  switch (step.kind) {
    case 'crash':
      return `${step.process} crashes`;
    case 'call-fails':
      return 'the call fails';
    case 'lease-expires':
      return `lease of ${step.process} expires`;
    case 'lease-released':
      return `lease of crashed ${step.process} runs out`;
    case 'heartbeat-lapses':
      return `heartbeat of ${step.process} lapses`;
    default:
      return step.kind;
  }
}

export function CompactState({ view, changed }: { view: StateView; changed: ReturnType<typeof changes> }) {
  const held = view.locks.filter((l) => l.holders.length > 0 || l.expired.length > 0);
  return (
    <div className={styles.compact}>
      {view.instances.map((inst) => (
        <span key={inst.name} className={changed.instances.has(inst.name) ? styles.changed : undefined} data-changed={changed.instances.has(inst.name) || undefined}>
          {inst.name}={inst.state}
          {Object.entries(inst.fields).map(([k, v]) => ` ${k}=${String(v)}`).join('')}
        </span>
      ))}
      {held.map((l) => (
        <span key={lockLabel(l)} className={changed.locks.has(lockLabel(l)) ? styles.changed : undefined}>
          lock {lockLabel(l)}: {l.holders.map((h) => h.process + (h.mode === 'shared' ? ' (shared)' : '') + (h.note ? ` (${h.note})` : '')).join(', ') || '—'}
          {l.expired.length ? ` · expired: ${l.expired.join(', ')}` : ''}
        </span>
      ))}
    </div>
  );
}
