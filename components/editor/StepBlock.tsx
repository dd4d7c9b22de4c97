'use client';

import { useState } from 'react';
import type { Step } from '@/lib/model';
import { newStep, STEP_HELP, STEP_KINDS } from '@/lib/editor/steps';
import { useDoc, useEdit, useReadOnly } from './context';
import { StepCard } from './StepCard';
import { DRAG_TYPE, readDrag } from './step-drag';
import styles from './steps.module.css';

/** A list of steps (an operation's body or a nested block) with a way to add more and a drop zone. */
export function StepBlock({ opIndex, list, steps, depth }: { opIndex: number; list: string; steps: Step[]; depth: number }) {
  const edit = useEdit();
  const readOnly = useReadOnly();
  const [over, setOver] = useState(false);
  return (
    <div className={styles.block} data-path={list} data-testid="step-block">
      <ol className={styles.list}>
        {steps.map((step, i) => (
          <StepCard key={`${i}:${step.kind}`} opIndex={opIndex} list={list} index={i} step={step} depth={depth} count={steps.length} />
        ))}
      </ol>
      {!readOnly && (
        <div
          className={`${styles.endZone} ${over ? styles.dropOver : ''}`}
          onDragOver={(e) => {
            if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            setOver(false);
            const from = readDrag(e);
            if (from) {
              e.preventDefault();
              edit({ type: 'move', from, to: { list, index: steps.length } });
            }
          }}
        >
          <AddStep opIndex={opIndex} list={list} index={steps.length} label={steps.length === 0 ? 'Add the first step' : 'Add step'} />
        </div>
      )}
    </div>
  );
}

/** A kind picker and a button that inserts a new step of that kind at `index`. */
export function AddStep({ opIndex, list, index, label, onDone }: { opIndex: number; list: string; index: number; label: string; onDone?: () => void }) {
  const doc = useDoc();
  const edit = useEdit();
  const [kind, setKind] = useState<Step['kind']>('require');
  const op = doc.operations[opIndex];
  return (
    <div className={styles.addStep}>
      <select className={`input ${styles.kindSelect}`} aria-label="Step kind" value={kind} onChange={(e) => setKind(e.target.value as Step['kind'])}>
        {STEP_KINDS.map((k) => (
          <option key={k} value={k}>
            {k} — {STEP_HELP[k]}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          edit({ type: 'insert', list, index, value: newStep(kind, doc, op) });
          onDone?.();
          requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-path="${list}[${index}]"] [data-step-handle]`)?.focus());
        }}
      >
        + {label}
      </button>
    </div>
  );
}
