'use client';

import { useEffect, useState } from 'react';
import { stepText, type Step } from '@/lib/model';
import { blocksOf, newStep, STEP_HELP, STEP_KINDS } from '@/lib/editor/steps';
import { convertStep, nestedStepCount } from '@/lib/editor/step-context';
import { clickStep, isSelected, selectedRun } from '@/lib/editor/step-selection';
import type { StepKind } from '@/lib/model/walk';
import { useEdit, useEditor, useProblems, useProblemsAt, useReadOnly, useStore } from './context';
import { indent, moveDown, moveUp, outdent, type StepMove } from '@/lib/editor/step-moves';
import { OtherProblems } from './fields';
import { AddStep, StepBlock } from './StepBlock';
import { StepForm, STEP_FIELDS } from './StepForm';
import { DRAG_TYPE, readDrag, writeDrag } from './step-drag';
import styles from './steps.module.css';

/** One step: a handle to drag or move it with Alt+↑/↓, its form, its nested blocks. */
export function StepCard({ opIndex, list, index, step, depth, count }: { opIndex: number; list: string; index: number; step: Step; depth: number; count: number }) {
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const [drop, setDrop] = useState<'before' | 'after' | null>(null);
  const [inserting, setInserting] = useState(false);
  const [open, setOpen] = useState(true);
  const path = `${list}[${index}]`;
  // A problem clicked in the panel opens the card it is in.
  const focus = useEditor((st) => st.view.focus);
  useEffect(() => {
    if (focus && focus.path.startsWith(`${path}.`)) setOpen(true);
  }, [focus, path]);
  const own = problems.filter((p) => p.path === path || (p.path.startsWith(`${path}.`) && !p.path.slice(path.length + 1).includes('[') && !STEP_FIELDS.has(p.path.slice(path.length + 1))));
  const nestedCount = problems.filter((p) => p.path.startsWith(`${path}.`) && p.path.slice(path.length + 1).includes('[')).length;
  const hasOwn = problems.some((p) => p.severity === 'error' && p.path.startsWith(`${path}.`) && !p.path.slice(path.length + 1).includes('['));
  const store = useStore();
  const apply = (m: StepMove | null) => {
    if (!m) return;
    edit(m.action);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-path="${m.to}"] [data-step-handle]`)?.focus());
  };
  const selected = useEditor((st) => isSelected(selectedRun(st.view), path));
  /** Shift extends the selection from the step selected before (in this list) to this one: "Wrap in atomic" then takes them all. */
  const select = (shift: boolean) => store.dispatch({ type: 'view', view: clickStep(store.getState().view, path, shift) });
  const changeKind = (kind: StepKind) => {
    const doc = store.getState().doc;
    const op = doc.operations[opIndex];
    const next = convertStep(doc, op, step, newStep(kind, doc, op, { list, index }));
    const dropped = nestedStepCount(step) - nestedStepCount(next);
    if (dropped > 0 && !window.confirm(`A ${kind} step cannot hold what this ${step.kind} holds: ${dropped} nested step${dropped === 1 ? '' : 's'} would be removed (Ctrl+Z brings them back). Change it?`)) return;
    edit({ type: 'set', path, value: next });
  };
  const move = (to: number) => apply(to < index ? moveUp(list, index) : moveDown(store.getState().doc, list, index));
  return (
    <li
      className={`${styles.card} ${selected ? styles.cardSelected : ''} ${styles[`kind_${step.kind}`] ?? ''} ${drop === 'before' ? styles.dropBefore : ''} ${drop === 'after' ? styles.dropAfter : ''} ${hasOwn ? styles.cardInvalid : ''}`}
      data-path={path}
      data-testid="step-card"
      data-kind={step.kind}
      data-selected={selected || undefined}
      aria-current={selected || undefined}
      onClick={(e) => {
        // The innermost card under the click is selected ("Add step" then inserts after it); its buttons (move, delete, add…), kind picker and handle act, they do not select.
        const target = e.target as HTMLElement;
        if (target.closest('[data-testid="step-card"]') !== e.currentTarget || target.closest('button, [data-kind-picker], [data-step-handle], [data-add-step]')) return;
        if (e.shiftKey) window.getSelection()?.removeAllRanges();
        if (e.shiftKey || !selected) select(e.shiftKey);
      }}
      onDragOver={(e) => {
        if (readOnly || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        e.stopPropagation();
        const box = e.currentTarget.getBoundingClientRect();
        setDrop(e.clientY < box.top + Math.min(40, box.height / 2) ? 'before' : 'after');
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setDrop(null);
      }}
      onDrop={(e) => {
        const box = e.currentTarget.getBoundingClientRect();
        const where = e.clientY < box.top + Math.min(40, box.height / 2) ? 'before' : 'after';
        setDrop(null);
        const from = readDrag(e);
        if (!from || readOnly) return;
        e.preventDefault();
        e.stopPropagation();
        edit({ type: 'move', from, to: { list, index: where === 'after' ? index + 1 : index } });
      }}
    >
      <div className={styles.head}>
        <span
          className={styles.handle}
          draggable={!readOnly}
          tabIndex={0}
          role="button"
          data-step-handle
          aria-label={`Step ${index + 1}: ${step.kind}. Drag, or Alt+arrows to move`}
          title="Drag to move · Alt+↑/↓ move · Alt+→ into the block above · Alt+← out of this block · Enter selects · Shift+↑/↓ selects several · Delete removes"
          onDragStart={(e) => writeDrag(e, { list, index })}
          onKeyDown={(e) => {
            if (readOnly) return;
            const doc = store.getState().doc;
            const moves: Record<string, () => StepMove | null> = {
              ArrowUp: () => moveUp(list, index),
              ArrowDown: () => moveDown(doc, list, index),
              ArrowRight: () => indent(doc, list, index),
              ArrowLeft: () => outdent(list, index),
            };
            if (e.altKey && moves[e.key]) {
              e.preventDefault();
              apply(moves[e.key]());
            } else if (e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
              // Shift+↑/↓ selects a run of steps from the keyboard, as Shift+click does.
              e.preventDefault();
              const to = index + (e.key === 'ArrowUp' ? -1 : 1);
              if (to < 0 || to >= count) return;
              const view = store.getState().view;
              const next = `${list}[${to}]`;
              const run = selectedRun(view);
              store.dispatch({ type: 'view', view: run && run.list === list ? clickStep(view, next, true) : { step: path, stepTo: next } });
              document.querySelector<HTMLElement>(`[data-path="${next}"] [data-step-handle]`)?.focus();
            } else if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              select(false);
            } else if (e.key === 'Delete') {
              e.preventDefault();
              edit({ type: 'remove', list, index });
            }
          }}
        >
          ⋮⋮
        </span>
        <span className={styles.num}>{index + 1}</span>
        <button type="button" className={styles.toggle} aria-expanded={open} aria-label={open ? 'Collapse step' : 'Expand step'} onClick={() => setOpen((v) => !v)}>
          {open ? '▾' : '▸'}
        </button>
        {readOnly ? (
          <span className={styles.kind}>{step.kind}</span>
        ) : (
          // Changing the kind keeps what carries over: a state check becomes a cas from that state, a write a cas into its value.
          <select className={styles.kindPicker} data-kind-picker aria-label={`Change the kind of step ${index + 1}`} title={`${step.kind}: ${STEP_HELP[step.kind]}. Pick another kind to change the step`} value={step.kind} onChange={(e) => changeKind(e.target.value as StepKind)}>
            {STEP_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        )}
        <code className={styles.summary} data-testid="step-summary" onDoubleClick={() => setOpen((v) => !v)} title="Double-click to collapse or expand">
          {stepText(step)}
        </code>
        <StepLabel path={path} value={step.label} />
        {nestedCount > 0 && <span className={styles.nestedErr}>{nestedCount} inside</span>}
        {!readOnly && (
          <span className={styles.actions}>
            <button type="button" className={styles.iconBtn} aria-label="Move step up" disabled={index === 0} onClick={() => move(index - 1)}>
              ↑
            </button>
            <button type="button" className={styles.iconBtn} aria-label="Move step down" disabled={index === count - 1} onClick={() => move(index + 1)}>
              ↓
            </button>
            <button type="button" className={styles.iconBtn} aria-label="Insert a step below" onClick={() => setInserting((v) => !v)}>
              +
            </button>
            <button type="button" className={styles.iconBtn} aria-label="Delete step" onClick={() => edit({ type: 'remove', list, index })}>
              ×
            </button>
          </span>
        )}
      </div>
      <div className={styles.body} hidden={!open}>
        <StepForm opIndex={opIndex} path={path} step={step} />
        <OtherProblems problems={own} />
        {blocksOf(step.kind).map((b) => {
          const steps = (step as Record<string, unknown>)[b.key] as Step[] | undefined;
          if (!steps) {
            if (readOnly || !b.optional) return null;
            return (
              <button
                key={b.key}
                type="button"
                className={styles.addBlock}
                onClick={() => {
                  // onFail needs mayFail on a call; an acquire's else needs try.
                  // (An acquire with a timeout already takes an else: try and timeout do not go together.)
                  const extra = step.kind === 'call' ? { mayFail: true } : step.kind === 'acquire' && step.timeout === undefined ? { try: true } : {};
                  edit({ type: 'set', path, value: { ...step, ...extra, [b.key]: [] } });
                }}
              >
                + {b.key === 'onFail' ? 'on failure…' : b.key === 'else' ? (step.kind === 'acquire' ? 'if the lock is taken…' : 'else branch') : b.label}
              </button>
            );
          }
          return (
            <div key={b.key} className={styles.nested}>
              <div className={styles.nestedLabel}>
                {b.label}
                {b.optional && !readOnly && (
                  <button type="button" className={styles.linkBtn} onClick={() => edit({ type: 'set', path: `${path}.${b.key}`, value: undefined })}>
                    remove
                  </button>
                )}
              </div>
              <StepBlock opIndex={opIndex} list={`${path}.${b.key}`} steps={steps} depth={depth + 1} />
            </div>
          );
        })}
      </div>
      {inserting && !readOnly && (
        <div className={styles.insertRow}>
          <AddStep opIndex={opIndex} list={list} index={index + 1} label="Insert below" onDone={() => setInserting(false)} />
        </div>
      )}
    </li>
  );
}

/** The step's optional label (shown in traces, named by `at(op, "label")`), edited in the card's header. */
function StepLabel({ path, value }: { path: string; value: string | undefined }) {
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblemsAt(`${path}.label`);
  return (
    <input
      className={`${styles.labelInput} ${problems.length ? styles.labelInvalid : ''}`}
      value={value ?? ''}
      placeholder="label"
      readOnly={readOnly}
      aria-label="Step label"
      // As wide as the label (monospaced: one ch a character), so a label is never cut off.
      style={{ width: `${Math.max(10, (value ?? '').length + 2)}ch` }}
      title={problems[0]?.message ?? 'Label: shown in traces; at(op, "label") counts processes here'}
      data-path={`${path}.label`}
      onChange={(e) => edit({ type: 'set', path: `${path}.label`, value: e.target.value === '' ? undefined : e.target.value })}
    />
  );
}
