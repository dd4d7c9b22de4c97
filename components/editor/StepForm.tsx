'use client';

import { useMemo } from 'react';
import type { Step } from '@/lib/model';
import { unreachable } from '@/lib/model/walk';
import { operationVocabulary } from '@/lib/editor/vocabulary';
import { fieldTargets, paramsOfType, statesOfTarget } from '@/lib/editor/steps';
import { retargetWrite } from '@/lib/editor/step-context';
import { slotOf } from '@/lib/editor/insert-point';
import { useDoc, useEdit, useProblems, useProblemsAt, useReadOnly } from './context';
import { CheckField, ExprField, FieldProblems, NumberField, SelectField, TextField } from './fields';
import { RepeatForm } from './forms/RepeatForm';
import { UpdateForm } from './forms/UpdateForm';
import styles from './forms.module.css';

/** Fields each step kind shows itself (so the card lists only the rest as "other problems"). */
export const STEP_FIELDS = new Set([
  'local', 'expr', 'cond', 'message', 'target', 'value', 'from', 'to', 'else', 'lock', 'on', 'name', 'fencedBy', 'fencedBy.lock', 'fencedBy.on',
  'until', 'timeout',
  'where', 'filters', 'set', 'failedAs',
]);

/** The form of one step, by kind; dropdowns come from the model. */
export function StepForm({ opIndex, path, step }: { opIndex: number; path: string; step: Step }) {
  const doc = useDoc();
  const edit = useEdit();
  const op = doc.operations[opIndex];
  const targetsId = `targets-${opIndex}`;
  const vocab = useMemo(() => operationVocabulary(doc, op), [doc, op]);
  const f = (name: string) => `${path}.${name}`;
  let body: React.ReactNode = null;
  switch (step.kind) {
    case 'read':
      body = (
        <>
          <TextField path={f('local')} label="Into local" mono className={styles.narrow} />
          <ExprField path={f('expr')} label="= expression" vocabulary={vocab} />
        </>
      );
      break;
    case 'if':
    case 'await':
      body = <ExprField path={f('cond')} label={step.kind === 'if' ? 'If' : 'Until'} vocabulary={vocab} />;
      break;
    case 'require':
      body = (
        <>
          <ExprField path={f('cond')} label="Require" vocabulary={vocab} />
          <TextField path={f('message')} label="else abort with" optional />
        </>
      );
      break;
    case 'assert':
      body = (
        <>
          <ExprField path={f('cond')} label="Assert" vocabulary={vocab} />
          <TextField path={f('message')} label="Message" />
        </>
      );
      break;
    case 'write':
      body = (
        <>
          <ExprField
            path={f('target')}
            label="Write"
            list={targetsId}
            className={styles.narrow}
            // A new target whose states do not include the value takes the state its machine goes to next.
            onSet={(target) => {
              const slot = slotOf(doc, path);
              edit({ type: 'set', path, value: slot && target ? retargetWrite(doc, op, slot, step, target) : { ...step, target: target ?? '' } });
            }}
          />
          <ExprField path={f('value')} label="= value" list={`values-${path}`} vocabulary={vocab} />
          <StateValues id={`values-${path}`} states={statesOfTarget(doc, op, step.target)} />
          <FencedBy opIndex={opIndex} path={path} step={step} />
        </>
      );
      break;
    case 'cas':
      body = <CasForm opIndex={opIndex} path={path} step={step} />;
      break;
    case 'update':
      body = <UpdateForm opIndex={opIndex} path={path} step={step} />;
      break;
    case 'atomic':
      body = null;
      break;
    case 'repeat':
      body = <RepeatForm opIndex={opIndex} path={path} step={step} />;
      break;
    case 'acquire':
    case 'release':
    case 'with':
      body = (
        <>
          <LockFields opIndex={opIndex} path={path} lock={step.lock} />
          {step.kind !== 'release' && <CheckField path={f('shared')} label="shared" />}
          {step.kind === 'acquire' && <CheckField path={f('try')} label="try (do not block)" />}
          {step.kind === 'acquire' && !step.try && (
            <NumberField path={f('timeout')} label="timeout (seconds)" min={0} optional placeholder="wait for ever" className={styles.narrow} />
          )}
        </>
      );
      break;
    case 'call':
      body = (
        <>
          <TextField path={f('name')} label="Call" mono />
          <CheckField path={f('long')} label="long-running" />
          <CheckField path={f('mayFail')} label="may fail" />
        </>
      );
      break;
    case 'abort':
      body = <TextField path={f('message')} label="Abort with" />;
      break;
    case 'return':
      body = <span className="muted">Ends the operation successfully.</span>;
      break;
    default:
      return unreachable(step, 'step kind');
  }
  return (
    <div className={styles.stepForm}>
      {body}
      <datalist id={targetsId}>
        {fieldTargets(doc, op).map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </div>
  );
}

function StateValues({ id, states }: { id: string; states: string[] | null }) {
  return <datalist id={id}>{(states ?? []).map((s) => <option key={s} value={`"${s}"`} />)}</datalist>;
}

function LockFields({ opIndex, path, lock, prefix = '' }: { opIndex: number; path: string; lock: string; prefix?: string }) {
  const doc = useDoc();
  const op = doc.operations[opIndex];
  const key = doc.locks.find((l) => l.name === lock)?.key;
  const candidates = paramsOfType(op, key);
  const p = (name: string) => `${path}.${prefix}${name}`;
  return (
    <>
      <SelectField path={p('lock')} label={prefix ? 'Fenced by lock' : 'Lock'} options={doc.locks.map((l) => ({ value: l.name, label: l.key ? `${l.name} (per ${l.key})` : `${l.name} (global)` }))} className={styles.narrow} />
      {key ? (
        <SelectField path={p('on')} label={`on (${key})`} options={candidates} optional emptyLabel="choose…" className={styles.narrow} />
      ) : (
        <OnProblems path={p('on')} />
      )}
    </>
  );
}

function OnProblems({ path }: { path: string }) {
  return <FieldProblems problems={useProblemsAt(path)} />;
}

function FencedBy({ opIndex, path, step }: { opIndex: number; path: string; step: Extract<Step, { kind: 'write' }> }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const fencing = doc.locks.filter((l) => l.fencing || l.backend === 'etcd' || l.backend === 'zookeeper');
  if (!step.fencedBy) {
    if (readOnly || doc.locks.length === 0) return null;
    return (
      <button type="button" className={styles.linkButton} onClick={() => edit({ type: 'set', path: `${path}.fencedBy`, value: { lock: (fencing[0] ?? doc.locks[0]).name } })}>
        + fenced by a lock
      </button>
    );
  }
  return (
    <>
      <LockFields opIndex={opIndex} path={path} lock={step.fencedBy.lock} prefix="fencedBy." />
      {!readOnly && (
        <button type="button" className={styles.linkButton} onClick={() => edit({ type: 'set', path: `${path}.fencedBy`, value: undefined })}>
          not fenced
        </button>
      )}
    </>
  );
}

const parseLiteral = (s: string): string | number | boolean => (s === 'true' ? true : s === 'false' ? false : /^-?\d+$/.test(s) ? Number(s) : s);

function CasForm({ opIndex, path, step }: { opIndex: number; path: string; step: Extract<Step, { kind: 'cas' }> }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const op = doc.operations[opIndex];
  const states = statesOfTarget(doc, op, step.target);
  const all = useProblems();
  const fromProblems = all.filter((p) => p.path === `${path}.from` || p.path.startsWith(`${path}.from[`));
  const toProblems = all.filter((p) => p.path === `${path}.to`);
  return (
    <>
      <ExprField path={`${path}.target`} label="cas" list={`targets-${opIndex}`} className={styles.narrow} />
      <div className={styles.field}>
        <span className={styles.label}>from any of</span>
        {states ? (
          <div className={styles.chips} data-path={`${path}.from`}>
            {states.map((s) => (
              <label key={s} className={styles.chip}>
                <input
                  type="checkbox"
                  disabled={readOnly}
                  checked={step.from.includes(s)}
                  onChange={(e) => edit({ type: 'set', path: `${path}.from`, value: e.target.checked ? [...step.from, s] : step.from.filter((v) => v !== s) })}
                />
                {s}
              </label>
            ))}
          </div>
        ) : (
          <input
            className={`input ${styles.mono}`}
            value={step.from.map(String).join(', ')}
            readOnly={readOnly}
            data-path={`${path}.from`}
            onChange={(e) => edit({ type: 'set', path: `${path}.from`, value: e.target.value.split(',').map((v) => v.trim()).filter(Boolean).map(parseLiteral) })}
          />
        )}
        <FieldProblems problems={fromProblems} />
      </div>
      {states ? (
        <SelectField path={`${path}.to`} label="to" options={states} className={styles.narrow} />
      ) : (
        <div className={`${styles.field} ${styles.narrow}`}>
          <span className={styles.label}>to</span>
          <input className={`input ${styles.mono}`} value={String(step.to)} readOnly={readOnly} data-path={`${path}.to`} onChange={(e) => edit({ type: 'set', path: `${path}.to`, value: parseLiteral(e.target.value.trim()) })} />
          <FieldProblems problems={toProblems} />
        </div>
      )}
      <SelectField path={`${path}.else`} label="otherwise" options={['abort', 'skip', 'retry']} className={styles.narrow} />
      {step.else === 'abort' && <TextField path={`${path}.message`} label="abort message" optional />}
    </>
  );
}
