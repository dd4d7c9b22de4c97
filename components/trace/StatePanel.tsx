'use client';

/** The full state at one step: resources, lock holders and processes, with what the step changed highlighted. */
import type { StateView } from '@/lib/check';
import { changes, localsText, lockLabel, placeOf } from '@/lib/browser/trace-model';
import styles from './trace.module.css';

export function StatePanel({ view, previous, actorStates }: { view: StateView; previous: StateView | null; actorStates?: Record<string, string> }) {
  const changed = changes(previous, view);
  return (
    <div className={styles.panel} data-testid="state-panel">
      <section>
        <h3>Resources</h3>
        <table>
          <tbody>
            {view.instances.map((inst) => {
              const fields = Object.entries(inst.fields);
              const isChanged = changed.instances.has(inst.name);
              return (
                <tr
                  key={inst.name}
                  className={isChanged ? styles.changedRow : undefined}
                  data-testid="state-instance"
                  data-name={inst.name}
                  data-state={inst.state}
                  data-changed={isChanged ? 'true' : 'false'}
                >
                  <td>
                    <strong>{inst.name}</strong> <span className="muted">{inst.type}</span>
                  </td>
                  <td>
                    <span className={`${styles.state} ${styles[`stateKind-${inst.stateKind}`] ?? ''}`}>{inst.state}</span>
                    {fields.length ? <div className={styles.fields}>{fields.map(([k, v]) => `${k}=${String(v)}`).join(' ')}</div> : null}
                    {actorStates?.[inst.name] !== undefined ? (
                      <div className={styles.fields} data-testid="actor-state">
                        actor: {actorStates[inst.name]}
                        {actorStates[inst.name] !== inst.state ? ` (its machine has no edge to ${inst.state})` : ''}
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section>
        <h3>Locks</h3>
        {view.locks.length === 0 ? (
          <span className={styles.none}>no locks in this model</span>
        ) : (
          <table>
            <tbody>
              {view.locks.map((l) => {
                const label = lockLabel(l);
                return (
                  <tr key={label} className={changed.locks.has(label) ? styles.changedRow : undefined} data-testid="state-lock" data-lock={label}>
                    <td className={styles.state}>{label}</td>
                    <td>
                      {l.holders.length === 0 ? <span className={styles.none}>free</span> : l.holders.map((h) => `${h.process}${h.mode === 'shared' ? ' (shared)' : ''}${h.note ? ` (${h.note})` : ''}`).join(', ')}
                      {l.expired.length ? <div className={styles.fields}>lease expired: {l.expired.join(', ')}</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h3>Processes</h3>
        <table>
          <tbody>
            {view.processes.map((p) => (
              <tr key={p.name} className={changed.processes.has(p.name) ? styles.changedRow : undefined} data-testid="state-process" data-name={p.name} data-status={p.status}>
                <td>
                  <strong>{p.name}</strong>
                  <div className={styles.fields}>{p.status}</div>
                  {placeOf(p) ? <div className={styles.fields}>{placeOf(p)}</div> : null}
                </td>
                <td className={styles.fields}>
                  {p.at ? (p.at.label ? `at ${p.at.label}` : `at ${p.at.where}`) : '—'}
                  {Object.keys(p.locals).length ? <div data-testid="process-locals">{localsText(p)}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
