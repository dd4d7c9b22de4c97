'use client';

import { selectedRun } from '@/lib/editor/step-selection';
import { useEdit, useEditor, useReadOnly, useStore } from './context';
import styles from './steps.module.css';

/**
 * What can be done with the selected steps (click one, Shift+click another):
 * wrap them in one atomic block, so no other process runs between them.
 * Always shown (disabled with nothing selected), so selecting moves nothing under the pointer.
 */
export function StepSelectionBar({ opIndex }: { opIndex: number }) {
  const edit = useEdit();
  const store = useStore();
  const readOnly = useReadOnly();
  // Strings from the store (a selector returning a new object each time would re-render for ever).
  const step = useEditor((s) => s.view.step);
  const stepTo = useEditor((s) => s.view.stepTo);
  const run = selectedRun({ step, stepTo });
  const inOp = run && run.list.startsWith(`operations[${opIndex}].`) ? run : null;
  if (readOnly) return null;
  const count = inOp ? inOp.to - inOp.from + 1 : 0;
  return (
    <div className={styles.selectionBar} data-testid="step-selection-bar">
      <span className={styles.selectionText} aria-live="polite">
        {inOp ? (count === 1 ? `Step ${inOp.from + 1} selected` : `Steps ${inOp.from + 1}–${inOp.to + 1} selected`) : 'Click a step to select it, Shift+click to select several'}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={!inOp}
        title="Put the selected steps in one atomic block: no other process runs between them"
        onClick={() => {
          if (!inOp) return;
          edit({ type: 'wrapInAtomic', list: inOp.list, from: inOp.from, to: inOp.to });
          store.dispatch({ type: 'view', view: { step: `${inOp.list}[${inOp.from}]` } });
        }}
      >
        Wrap in atomic
      </button>
    </div>
  );
}
