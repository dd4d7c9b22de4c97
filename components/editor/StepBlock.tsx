'use client';

import { useState } from 'react';
import type { Step } from '@/lib/model';
import { newStep, STEP_HELP, STEP_KINDS } from '@/lib/editor/steps';
import { insertionPoint } from '@/lib/editor/insert-point';
import { lastSelected } from '@/lib/editor/step-selection';
import type { StepKind } from '@/lib/model/walk';
import { useDoc, useEdit, useEditor, useReadOnly, useStore } from './context';
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
          <AddAtSelection opIndex={opIndex} list={list} empty={steps.length === 0} />
        </div>
      )}
    </div>
  );
}

/** The block's "Add step": after the selected step when it lies in this block (or below), else at the end. */
function AddAtSelection({ opIndex, list, empty }: { opIndex: number; list: string; empty: boolean }) {
  const doc = useDoc();
  const selected = useEditor((s) => lastSelected(s.view));
  const at = insertionPoint(doc, list, selected);
  const end = insertionPoint(doc, list, null);
  const afterSelected = at.list !== end.list || at.index !== end.index;
  return <AddStep opIndex={opIndex} list={at.list} index={at.index} label={afterSelected ? `Add step after ${at.index}` : empty ? 'Add the first step' : 'Add step'} />;
}

/** The kinds a model is mostly made of: one click adds one (the rest are in the kind picker). */
export const QUICK_KINDS: ReadonlyArray<StepKind> = ['read', 'require', 'cas', 'write', 'if', 'atomic', 'call'];

/**
 * One button per common kind, and a kind picker with a button for every kind:
 * each inserts a new step of that kind at `index`; the new step becomes the selected one.
 */
export function AddStep({ opIndex, list, index, label, onDone }: { opIndex: number; list: string; index: number; label: string; onDone?: () => void }) {
  const doc = useDoc();
  const edit = useEdit();
  const store = useStore();
  const [kind, setKind] = useState<Step['kind']>('require');
  const op = doc.operations[opIndex];
  const add = (k: StepKind) => {
    edit({ type: 'insert', list, index, value: newStep(k, doc, op, { list, index }) });
    store.dispatch({ type: 'view', view: { step: `${list}[${index}]` } });
    onDone?.();
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-path="${list}[${index}]"] [data-step-handle]`)?.focus());
  };
  return (
    <div className={styles.addStep} data-add-step>
      <div className={styles.quickKinds} role="group" aria-label={`${label}: one click per kind`}>
        {QUICK_KINDS.map((k) => (
          <button key={k} type="button" className={styles.quickKind} title={`${label}: ${k} — ${STEP_HELP[k]}`} onClick={() => add(k)}>
            + {k}
          </button>
        ))}
      </div>
      <div className={styles.addAny}>
        <select className={`input ${styles.kindSelect}`} aria-label="Step kind" value={kind} onChange={(e) => setKind(e.target.value as Step['kind'])}>
          {STEP_KINDS.map((k) => (
            <option key={k} value={k}>
              {k} — {STEP_HELP[k]}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" onClick={() => add(kind)}>
          + {label}
        </button>
      </div>
    </div>
  );
}
