'use client';

import { DuplicateButton } from './DuplicateButton';
import { useState } from 'react';
import { NAME } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useEditor, useProblems, useProblemsAt, useReadOnly, useStore } from './context';
import { FieldProblems, SelectField, TextField } from './fields';
import { StepBlock } from './StepBlock';
import { StepSelectionBar } from './StepSelectionBar';
import { Pseudocode } from './Pseudocode';
import { useGuardedDelete } from './useDeleteSelection';
import { RefusalNotice } from './RefusalNotice';
import styles from './editor.module.css';
import forms from './forms.module.css';

/** Operations down the side; the selected one's params and steps; its pseudo-code beside. */
export function OperationsPanel() {
  const doc = useDoc();
  const index = useEditor((s) => Math.min(s.view.operation, Math.max(0, s.doc.operations.length - 1)));
  const store = useStore();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const op = doc.operations[index];
  return (
    <div className={styles.threeCols}>
      <nav className={styles.sideList} aria-label="Operations">
        <div className={styles.sideTitle}>Operations</div>
        {doc.operations.map((o, i) => {
          const count = problems.filter((p) => p.severity === 'error' && p.path.startsWith(`operations[${i}]`)).length;
          return (
            <button key={i} type="button" className={`${styles.sideItem} ${i === index ? styles.sideItemActive : ''}`} onClick={() => store.dispatch({ type: 'view', view: { operation: i } })} data-testid="operation-tab">
              <span>{o.name}</span>
              <span className={styles.sideMeta}>{count > 0 ? <span className={styles.errCount}>{count}</span> : o.steps.length}</span>
            </button>
          );
        })}
        {!readOnly && (
          <button
            type="button"
            className={`btn btn-small ${styles.sideAdd}`}
            onClick={() => {
              const r = doc.resources[0];
              edit({
                type: 'insert',
                list: 'operations',
                index: doc.operations.length,
                value: { name: freshName('operation', doc.operations.map((o) => o.name)), params: r ? [{ name: r.name.toLowerCase().replace(/[^a-z0-9_]/g, '_'), type: r.name }] : [], steps: [] },
              });
              store.dispatch({ type: 'view', view: { operation: doc.operations.length } });
            }}
          >
            + Operation
          </button>
        )}
      </nav>
      {op ? (
        <>
          <section className={styles.mainCol} aria-label="Operation">
            <OperationHeader key={index} index={index} />
            <div className={forms.subTitle}>Steps</div>
            <p className={forms.hint}>Each step is atomic; other processes may run between any two. Drag a step by its handle, or focus the handle and press Alt+↑/↓ to move it, Alt+→ to nest it in the block above, Alt+← to take it out. A step's kind can be changed in its header; what carries over is kept.</p>
            <StepSelectionBar opIndex={index} />
            <StepBlock opIndex={index} list={`operations[${index}].steps`} steps={op.steps} depth={0} />
          </section>
          <aside className={styles.pseudo} aria-label="Pseudo-code">
            <div className={forms.subTitle}>Pseudo-code</div>
            <Pseudocode op={op} />
          </aside>
        </>
      ) : (
        <section className={styles.mainCol}>
          <p className="muted">No operations yet. An operation is a concurrent actor: an API call, a worker, a periodic job.</p>
        </section>
      )}
    </div>
  );
}

function OperationHeader({ index }: { index: number }) {
  const doc = useDoc();
  const edit = useEdit();
  const store = useStore();
  const readOnly = useReadOnly();
  const op = doc.operations[index];
  const guardedDelete = useGuardedDelete();
  const [draft, setDraft] = useState<string | null>(null);
  const nameProblems = useProblemsAt(`operations[${index}].name`);
  const name = draft ?? op.name;
  const taken = name !== op.name && doc.operations.some((o) => o.name === name);
  const commit = () => {
    if (draft !== null && !taken && NAME.test(draft) && draft !== op.name) edit({ type: 'renameOperation', operation: index, to: draft });
    setDraft(null);
  };
  const base = `operations[${index}]`;
  return (
    <div className={forms.block}>
      <div className={forms.row}>
        <div className={forms.field} style={{ flex: 1 }}>
          <label className={forms.label} htmlFor="op-name">
            Operation name
          </label>
          <input
            id="op-name"
            className={`input ${forms.mono} ${taken ? forms.invalid : ''}`}
            value={name}
            readOnly={readOnly}
            data-path={`${base}.name`}
            onChange={(e) => setDraft(e.target.value.trim())}
            onBlur={commit}
            onKeyDown={(e) => e.key === 'Enter' && commit()}
          />
          {taken && <div className={forms.fieldProblems}>'{name}' already exists</div>}
          <FieldProblems problems={nameProblems} />
        </div>
        {!readOnly && (
          <DuplicateButton
            testId="duplicate-operation"
            title="Copy this operation (steps and all) under a new name, e.g. to keep a naive and a fixed variant side by side"
            onDuplicate={() => {
              edit({ type: 'duplicateOperation', operation: index });
              store.dispatch({ type: 'view', view: { operation: index + 1 } });
            }}
          />
        )}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            style={{ alignSelf: 'flex-end', marginBottom: 4 }}
            onClick={() => {
              if (guardedDelete({ type: 'remove', list: 'operations', index }, 'operation', `operation ${op.name}`)) store.dispatch({ type: 'view', view: { operation: Math.max(0, index - 1) } });
            }}
          >
            Delete operation
          </button>
        )}
      </div>
      <RefusalNotice scope="operation" />
      <TextField path={`${base}.description`} label="Description" optional />
      <div className={forms.label}>Parameters</div>
      <div className={forms.params} data-path={`${base}.params`}>
        {op.params.map((p, i) => (
          <div key={i} className={forms.paramRow} data-testid="param-row">
            <TextField path={`${base}.params[${i}].name`} label="name" mono />
            <SelectField path={`${base}.params[${i}].type`} label="type" options={doc.resources.map((r) => r.name)} />
            {!readOnly && (
              <button type="button" className={forms.iconButton} aria-label={`Remove parameter ${p.name}`} onClick={() => edit({ type: 'remove', list: `${base}.params`, index: i })}>
                ×
              </button>
            )}
          </div>
        ))}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              // The next resource the operation does not take yet (a snapshot of the share it has), named after it.
              const taken = new Set(op.params.map((p) => p.type));
              const r = doc.resources.find((x) => !taken.has(x.name)) ?? doc.resources[0];
              edit({ type: 'insert', list: `${base}.params`, index: op.params.length, value: { name: freshName(r.name.toLowerCase(), op.params.map((p) => p.name)), type: r.name } });
            }}
          >
            + Parameter
          </button>
        )}
      </div>
    </div>
  );
}
