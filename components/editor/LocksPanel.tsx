'use client';

import { BACKEND_DEFAULTS, NAME, lockPolicy } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useReadOnly } from './context';
import { SelectField, TextField } from './fields';
import { NameInput } from './NameInput';
import { useGuardedDelete } from './useDeleteSelection';
import { RefusalNotice } from './RefusalNotice';
import styles from './forms.module.css';
import layout from './editor.module.css';

const bool = (v: string) => v === 'true';

/** Lock policies: what they are keyed by, their backend and what happens when the holder crashes. */
export function LocksPanel() {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const guardedDelete = useGuardedDelete();
  return (
    <div className={layout.formPage}>
      <p className={styles.hint}>A lock is keyed by a resource type (one lock per instance) or global. The backend fills in scope, crash behaviour, leases and fencing; set any of them to override.</p>
      <div className={styles.cards}>
        {doc.locks.map((lock, i) => {
          const base = `locks[${i}]`;
          const policy = lockPolicy(lock);
          const d = (v: unknown) => `default (${String(v)})`;
          return (
            <section key={i} className={styles.formCard} data-path={base} data-testid="lock-card">
              <div className={styles.row}>
                <NameInput path={`${base}.name`} value={lock.name} label="Name" pattern={NAME} taken={(n) => doc.locks.some((l) => l.name === n)} onCommit={(to) => edit({ type: 'renameLock', lock: i, to })} />
                <SelectField path={`${base}.key`} label="Keyed by" options={doc.resources.map((r) => r.name)} optional emptyLabel="(global lock)" />
                <SelectField path={`${base}.backend`} label="Backend" options={Object.keys(BACKEND_DEFAULTS)} optional emptyLabel="(none)" />
              </div>
              <div className={styles.row}>
                <SelectField path={`${base}.scope`} label="Scope" options={['process', 'node', 'cluster']} optional emptyLabel={d(policy.scope)} />
                <SelectField path={`${base}.onCrash`} label="When the holder crashes" options={['released', 'after-lease', 'never']} optional emptyLabel={d(policy.onCrash)} />
                <SelectField path={`${base}.leaseCanExpire`} label="Lease can expire while held" options={['true', 'false']} parse={bool} optional emptyLabel={d(policy.leaseCanExpire)} />
                <SelectField path={`${base}.fencing`} label="Fencing tokens" options={['true', 'false']} parse={bool} optional emptyLabel={d(policy.fencing)} />
              </div>
              <TextField path={`${base}.description`} label="Description" optional />
              {!readOnly && (
                <button type="button" className="btn btn-small btn-danger" onClick={() => guardedDelete({ type: 'remove', list: 'locks', index: i }, `lock:${i}`, `lock ${lock.name}`)}>
                  Delete lock
                </button>
              )}
              <RefusalNotice scope={`lock:${i}`} />
            </section>
          );
        })}
      </div>
      {!readOnly && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => edit({ type: 'insert', list: 'locks', index: doc.locks.length, value: { name: freshName('lock', doc.locks.map((l) => l.name)), ...(doc.resources[0] ? { key: doc.resources[0].name } : {}), backend: 'postgres-advisory' } })}
        >
          + Lock
        </button>
      )}
    </div>
  );
}
