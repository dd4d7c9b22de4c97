'use client';

import { useMemo } from 'react';
import { NAME } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { invariantVocabulary } from '@/lib/editor/vocabulary';
import { useDoc, useEdit, useReadOnly } from './context';
import { ExprField, TextField } from './fields';
import { NameInput } from './NameInput';
import styles from './forms.module.css';
import layout from './editor.module.css';

/** Invariants over types, with quantifiers: they must hold in every reachable state of every scenario. */
export function InvariantsPanel() {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const vocab = useMemo(() => invariantVocabulary(doc), [doc]);
  return (
    <div className={layout.formPage}>
      <p className={styles.hint}>
        Write invariants over types so one serves every scenario, e.g. <code>all(n: Snapshot, n.state != &quot;available&quot; || n.share.state != &quot;deleted&quot;)</code>. Built-ins: <code>count(Type, state)</code>, <code>at(op, &quot;label&quot;)</code>, <code>holds(lock, r)</code>, <code>fence(r, lock)</code> (the highest fencing token r accepted).
      </p>
      <div className={styles.cards}>
        {doc.invariants.map((_inv, i) => (
          <section key={i} className={styles.formCard} data-path={`invariants[${i}]`} data-testid="invariant-card">
            <div className={styles.row}>
              <NameInput
                path={`invariants[${i}].name`}
                value={_inv.name}
                label="Name"
                pattern={NAME}
                taken={(n) => doc.invariants.some((v) => v.name === n)}
                onCommit={(to) => edit({ type: 'renameInvariant', invariant: i, to })}
              />
              <TextField path={`invariants[${i}].description`} label="Description" optional />
            </div>
            <ExprField path={`invariants[${i}].expr`} label="Must always hold" vocabulary={vocab} />
            {!readOnly && (
              <button type="button" className="btn btn-small btn-danger" onClick={() => edit({ type: 'remove', list: 'invariants', index: i })}>
                Delete invariant
              </button>
            )}
          </section>
        ))}
      </div>
      {!readOnly && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const r = doc.resources[0];
            edit({
              type: 'insert',
              list: 'invariants',
              index: doc.invariants.length,
              value: { name: freshName('invariant', doc.invariants.map((v) => v.name)), expr: r ? `count(${r.name}, "${r.states[0]?.name ?? 'available'}") >= 0` : 'true' },
            });
          }}
        >
          + Invariant
        </button>
      )}
    </div>
  );
}
