'use client';

import { useState } from 'react';
import type { StateKind } from '@/lib/model';
import { useDoc, useEdit, useReadOnly, useStore } from './context';
import { TextField, FieldProblems } from './fields';
import { useCurrentRefusal } from './refusal';
import { RefusalNotice } from './RefusalNotice';
import { useDeleteSelection } from './useDeleteSelection';
import { useProblemsAt } from './context';
import { IDENTIFIER } from '@/lib/model';
import styles from './forms.module.css';

const KINDS: Array<{ kind: StateKind; help: string }> = [
  { kind: 'stable', help: 'at rest; operations start from here' },
  { kind: 'transitional', help: 'work in progress; must not stay here' },
  { kind: 'terminal', help: 'the end of the lifecycle' },
  { kind: 'error', help: 'something failed; needs repair' },
];

export function StateInspector({ resource, name }: { resource: number; name: string }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const store = useStore();
  const deleteSelection = useDeleteSelection();
  const refusal = useCurrentRefusal();
  const res = doc.resources[resource];
  const index = res?.states.findIndex((s) => s.name === name) ?? -1;
  const state = res?.states[index];
  const [draft, setDraft] = useState<{ for: string; value: string } | null>(null);
  const nameProblems = useProblemsAt(`resources[${resource}].states[${index}].name`);
  if (!res || !state) return null;
  const value = draft?.for === name ? draft.value : name;
  const taken = value !== name && res.states.some((s) => s.name === value);
  const bad = !IDENTIFIER.test(value);
  const commit = () => {
    if (!taken && !bad && value !== name) {
      edit({ type: 'renameState', resource, from: name, to: value });
      store.dispatch({ type: 'select', selection: { kind: 'state', resource, name: value } });
    }
    setDraft(null);
  };
  const outgoing = res.transitions.filter((t) => t.from === name);
  const incoming = res.transitions.filter((t) => t.to === name);
  return (
    <div className={styles.inspectorBody} data-testid="state-inspector">
      <div className={styles.inspectorKicker}>State of {res.name}</div>
      <label className={styles.label} htmlFor="state-name">
        Name
      </label>
      <input
        id="state-name"
        className={`input ${styles.mono} ${taken || bad ? styles.invalid : ''}`}
        value={value}
        readOnly={readOnly}
        data-path={`resources[${resource}].states[${index}].name`}
        onChange={(e) => setDraft({ for: name, value: e.target.value.trim() })}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {taken && <div className={styles.fieldProblems}>'{value}' already exists</div>}
      {bad && <div className={styles.fieldProblems}>letters, digits and _ only, not starting with a digit</div>}
      <FieldProblems problems={nameProblems} />

      <fieldset className={styles.kinds} disabled={readOnly}>
        <legend className={styles.label}>Kind</legend>
        {KINDS.map((k) => (
          <label key={k.kind} className={`${styles.kindOption} ${styles[`kind_${k.kind}`]}`}>
            <input type="radio" name="state-kind" checked={state.kind === k.kind} onChange={() => edit({ type: 'setStateKind', resource, state: name, kind: k.kind })} />
            <span>
              <strong>{k.kind}</strong> <span className="muted">— {k.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className={styles.check}>
        <input type="checkbox" checked={res.initial === name} disabled={readOnly || res.initial === name} onChange={() => edit({ type: 'setInitial', resource, state: name })} />
        Initial state {res.initial === name ? '' : `(now: ${res.initial})`}
      </label>
      <TextField path={`resources[${resource}].states[${index}].description`} label="Description" optional />

      <div className={styles.edgesSummary}>
        <div>
          <span className={styles.label}>Out</span> {outgoing.length ? outgoing.map((t) => t.to).join(', ') : <span className="muted">none</span>}
        </div>
        <div>
          <span className={styles.label}>In</span> {incoming.length ? incoming.map((t) => t.from).join(', ') : <span className="muted">none</span>}
        </div>
      </div>
      {!readOnly && (
        <button type="button" className="btn btn-small btn-danger" onClick={deleteSelection} data-testid="delete-state">
          Delete state
        </button>
      )}
      {refusal && <RefusalNotice scope="state" />}
    </div>
  );
}

export function TransitionInspector({ resource, index }: { resource: number; index: number }) {
  const doc = useDoc();
  const readOnly = useReadOnly();
  const deleteSelection = useDeleteSelection();
  const t = doc.resources[resource]?.transitions[index];
  if (!t) return null;
  return (
    <div className={styles.inspectorBody} data-testid="transition-inspector">
      <div className={styles.inspectorKicker}>Transition of {doc.resources[resource].name}</div>
      <p className={styles.transitionTitle}>
        <code>{t.from}</code> → <code>{t.to}</code>
      </p>
      <TextField path={`resources[${resource}].transitions[${index}].name`} label="Label" optional placeholder="(unnamed)" />
      {!readOnly && (
        <button type="button" className="btn btn-small btn-danger" onClick={deleteSelection} data-testid="delete-transition">
          Delete transition
        </button>
      )}
    </div>
  );
}
