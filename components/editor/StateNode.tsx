'use client';

import { memo, useEffect, useRef, useState } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { IDENTIFIER } from '@/lib/model';
import type { StateNode as StateNodeType } from '@/lib/editor/graph';
import { useDoc, useEdit, useReadOnly } from './context';
import styles from './canvas.module.css';

const KIND_LABEL = { stable: 'stable', transitional: 'transitional', terminal: 'terminal', error: 'error' } as const;

/** One state on the canvas: its name, its kind (by style and a badge), the initial marker; double-click the name to rename. */
function StateNodeView({ data, selected }: NodeProps<StateNodeType>) {
  const [editing, setEditing] = useState(false);
  const readOnly = useReadOnly();
  const classes = [styles.state, styles[`kind_${data.kind}`], data.initial ? styles.initial : '', selected ? styles.selected : '', data.problems ? styles.problem : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-testid="state-node" data-state={data.name} data-kind={data.kind} data-path={`resources[${data.resource}].states[${data.index}]`}>
      <Handle type="target" position={Position.Top} className={styles.handle} />
      {data.initial && (
        <span className={styles.initialMark} title="initial state" aria-label="initial state">
          start ▶
        </span>
      )}
      {editing && !readOnly ? (
        <RenameInput resource={data.resource} name={data.name} onDone={() => setEditing(false)} />
      ) : (
        <span className={styles.stateName} onDoubleClick={(e) => { e.stopPropagation(); setEditing(true); }} title={`${data.name} (double-click to rename)`}>
          {data.name}
        </span>
      )}
      <span className={styles.kindBadge}>{KIND_LABEL[data.kind]}</span>
      {data.problems > 0 && <span className={styles.problemDot} title={`${data.problems} problem(s)`}>!</span>}
      <Handle type="source" position={Position.Bottom} className={styles.handle} />
    </div>
  );
}

function RenameInput({ resource, name, onDone }: { resource: number; name: string; onDone: () => void }) {
  const doc = useDoc();
  const edit = useEdit();
  const [value, setValue] = useState(name);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const taken = value !== name && doc.resources[resource]?.states.some((s) => s.name === value);
  const invalid = !IDENTIFIER.test(value);
  const commit = () => {
    if (!taken && !invalid && value !== name) edit({ type: 'renameState', resource, from: name, to: value });
    onDone();
  };
  return (
    <input
      ref={ref}
      className={`nodrag ${styles.renameInput}`}
      aria-label="State name"
      value={value}
      aria-invalid={taken || invalid}
      title={taken ? `'${value}' already exists` : invalid ? 'letters, digits and _ only' : undefined}
      onChange={(e) => setValue(e.target.value.trim())}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') onDone();
      }}
      onBlur={commit}
    />
  );
}

export const StateNode = memo(StateNodeView);
