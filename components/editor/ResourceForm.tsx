'use client';

import { useState } from 'react';
import { IDENTIFIER, type FieldType } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useProblemsAt, useReadOnly, useStore } from './context';
import { CheckField, FieldProblems, NumberField, SelectField, TextField } from './fields';
import { useGuardedDelete } from './useDeleteSelection';
import { RefusalNotice } from './RefusalNotice';
import styles from './forms.module.css';

/** The resource itself: name, description, fields, and a keyboard way to add transitions. */
export function ResourceForm({ index }: { index: number }) {
  const doc = useDoc();
  const edit = useEdit();
  const store = useStore();
  const readOnly = useReadOnly();
  const guardedDelete = useGuardedDelete();
  const res = doc.resources[index];
  const [draft, setDraft] = useState<{ for: string; value: string } | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const nameProblems = useProblemsAt(`resources[${index}].name`);
  if (!res) return null;
  const name = draft?.for === res.name ? draft.value : res.name;
  const taken = name !== res.name && doc.resources.some((r) => r.name === name);
  const commitName = () => {
    if (!taken && IDENTIFIER.test(name) && name !== res.name) edit({ type: 'renameResource', resource: index, to: name });
    setDraft(null);
  };
  const base = `resources[${index}]`;
  const states = res.states.map((s) => s.name);
  return (
    <div className={styles.inspectorBody} data-testid="resource-form">
      <div className={styles.inspectorKicker}>Resource</div>
      <label className={styles.label} htmlFor="resource-name">
        Name
      </label>
      <input
        id="resource-name"
        className={`input ${styles.mono}`}
        value={name}
        readOnly={readOnly}
        data-path={`${base}.name`}
        onChange={(e) => setDraft({ for: res.name, value: e.target.value.trim() })}
        onBlur={commitName}
        onKeyDown={(e) => e.key === 'Enter' && commitName()}
      />
      {taken && <div className={styles.fieldProblems}>'{name}' already exists</div>}
      <FieldProblems problems={nameProblems} />
      <TextField path={`${base}.description`} label="Description" optional />
      <SelectField path={`${base}.initial`} label="Initial state" options={states} />
      <p className={styles.hint}>Select a state or a transition on the canvas to edit it.</p>

      {!readOnly && (
        <div className={styles.subsection}>
          <div className={styles.subTitle}>Add a transition</div>
          <div className={styles.row}>
            <select className="input" aria-label="From state" value={from} onChange={(e) => setFrom(e.target.value)}>
              <option value="">from…</option>
              {states.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <select className="input" aria-label="To state" value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="">to…</option>
              {states.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small"
              disabled={!from || !to || from === to}
              onClick={() => {
                edit({ type: 'addTransition', resource: index, from, to });
                setFrom('');
                setTo('');
              }}
            >
              Add
            </button>
          </div>
        </div>
      )}

      <div className={styles.subsection}>
        <div className={styles.subTitle}>Fields</div>
        {(res.fields ?? []).map((f, i) => (
          <FieldRow key={i} resource={index} index={i} type={f.type} />
        ))}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              edit({ type: 'insert', list: `${base}.fields`, index: res.fields?.length ?? 0, value: { name: freshName('flag', (res.fields ?? []).map((f) => f.name)), type: { kind: 'bool' }, initial: false } })
            }
          >
            + Field
          </button>
        )}
        {!readOnly &&
          doc.resources
            .filter((_r, i) => i !== index)
            .map((other) => (
              <button
                key={other.name}
                type="button"
                className="btn btn-small"
                style={{ marginLeft: 6 }}
                title={`A field naming the ${other.name} this ${res.name} belongs to (e.g. snapshot.share)`}
                onClick={() =>
                  edit({
                    type: 'insert',
                    list: `${base}.fields`,
                    index: res.fields?.length ?? 0,
                    value: { name: freshName(other.name.toLowerCase().replace(/[^a-z0-9_]/g, '_'), (res.fields ?? []).map((f) => f.name)), type: { kind: 'ref', resource: other.name } },
                  })
                }
              >
                + Reference to {other.name}
              </button>
            ))}
      </div>
      {!readOnly && doc.resources.length > 1 && (
        <button
          type="button"
          className="btn btn-small btn-danger"
          style={{ marginTop: 16 }}
          onClick={() => {
            if (guardedDelete({ type: 'deleteResource', resource: index }, 'resource', `resource ${res.name}`)) store.dispatch({ type: 'view', view: { resource: Math.max(0, index - 1) } });
          }}
        >
          Delete resource {res.name}
        </button>
      )}
      <RefusalNotice scope="resource" />
    </div>
  );
}

const TYPE_DEFAULTS: Record<FieldType['kind'], FieldType> = {
  bool: { kind: 'bool' },
  enum: { kind: 'enum', values: ['a', 'b'] },
  int: { kind: 'int', min: 0, max: 3 },
  ref: { kind: 'ref', resource: 'Resource' },
};

function FieldRow({ resource, index, type }: { resource: number; index: number; type: FieldType }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const path = `resources[${resource}].fields[${index}]`;
  const problems = useProblemsAt(`${path}.type`);
  return (
    <div className={styles.fieldCard} data-path={path}>
      <div className={styles.row}>
        <TextField path={`${path}.name`} label="Name" mono />
        <div className={styles.field}>
          <label className={styles.label}>Type</label>
          <select
            className="input"
            value={type.kind}
            disabled={readOnly}
            aria-label="Field type"
            onChange={(e) => {
              const kind = e.target.value as FieldType['kind'];
              const next = kind === 'ref' ? { kind, resource: doc.resources.find((_r, i) => i !== resource)?.name ?? doc.resources[0].name } : TYPE_DEFAULTS[kind];
              // Only a bool can be a heartbeat: the option goes with the type.
              const { initial: _initial, heartbeat, ...field } = doc.resources[resource].fields![index];
              edit({ type: 'set', path, value: { ...field, ...(kind === 'bool' && heartbeat ? { heartbeat } : {}), type: next } });
            }}
          >
            <option value="bool">bool</option>
            <option value="enum">enum</option>
            <option value="int">int range</option>
            <option value="ref">reference</option>
          </select>
        </div>
      </div>
      {type.kind === 'enum' && (
        <div className={styles.field}>
          <label className={styles.label}>Values (comma-separated)</label>
          <input
            className={`input ${styles.mono}`}
            value={type.values.join(', ')}
            readOnly={readOnly}
            onChange={(e) => edit({ type: 'set', path: `${path}.type.values`, value: e.target.value.split(',').map((v) => v.trim()).filter(Boolean) })}
          />
        </div>
      )}
      {type.kind === 'int' && (
        <div className={styles.row}>
          {(['min', 'max'] as const).map((k) => (
            <div key={k} className={styles.field}>
              <label className={styles.label}>{k}</label>
              <input className="input" type="number" value={type[k]} readOnly={readOnly} onChange={(e) => edit({ type: 'set', path: `${path}.type.${k}`, value: Number(e.target.value) })} />
            </div>
          ))}
        </div>
      )}
      {type.kind === 'ref' && <SelectField path={`${path}.type.resource`} label="Refers to" options={doc.resources.map((r) => r.name)} />}
      {type.kind === 'bool' && <SelectField path={`${path}.initial`} label="Initially" options={['false', 'true']} parse={(v) => v === 'true'} optional emptyLabel="false (default)" />}
      {type.kind === 'bool' && (
        <CheckField path={`${path}.heartbeat`} label="heartbeat" hint="A live owner keeps it true; a scenario's heartbeat-loss fault may turn it false while the owner still runs (slow, not dead)." />
      )}
      <FieldProblems problems={useProblemsAt(`${path}.heartbeat`)} />
      {type.kind === 'enum' && <SelectField path={`${path}.initial`} label="Initially" options={type.values} optional emptyLabel={`${type.values[0]} (default)`} />}
      {type.kind === 'int' && <NumberField path={`${path}.initial`} label="Initially" min={type.min} max={type.max} optional placeholder={`${Math.max(type.min, Math.min(0, type.max))} (default)`} />}
      <FieldProblems problems={problems} />
      {!readOnly && (
        <button type="button" className={styles.linkButton} onClick={() => edit({ type: 'remove', list: `resources[${resource}].fields`, index })}>
          Remove field
        </button>
      )}
    </div>
  );
}
