'use client';

import { DuplicateButton } from './DuplicateButton';
import { BACKEND_DEFAULTS, NAME, lockPolicy, type Lock, type Scenario } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { invariantVocabulary } from '@/lib/editor/vocabulary';
import { useDoc, useEdit, useReadOnly, useStore } from './context';
import { ExprField, NumberField, SelectField, TextField } from './fields';
import { NameInput } from './NameInput';
import { Lanes } from './ScenarioLanes';
import styles from './forms.module.css';

/** One scenario: instances, lanes of processes, faults, checks, lock backends, expected verdict, its own invariants. */
export function ScenarioForm({ index, scenario }: { index: number; scenario: Scenario }) {
  const doc = useDoc();
  const edit = useEdit();
  const store = useStore();
  const readOnly = useReadOnly();
  const base = `scenarios[${index}]`;
  const instanceNames = scenario.instances.map((i) => i.name);
  return (
    <div className={styles.formStack}>
      <div className={styles.row}>
        <NameInput path={`${base}.name`} value={scenario.name} label="Scenario name" pattern={NAME} taken={(n) => doc.scenarios.some((s) => s.name === n)} onCommit={(to) => edit({ type: 'set', path: `${base}.name`, value: to })} />
        {!readOnly && (
          <DuplicateButton
            testId="duplicate-scenario"
            title="Copy this scenario under a new name"
            onDuplicate={() => {
              edit({ type: 'duplicateScenario', scenario: index });
              store.dispatch({ type: 'view', view: { scenario: index + 1 } });
            }}
          />
        )}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            style={{ alignSelf: 'flex-end', marginBottom: 4 }}
            onClick={() => {
              edit({ type: 'remove', list: 'scenarios', index });
              store.dispatch({ type: 'view', view: { scenario: Math.max(0, index - 1) } });
            }}
          >
            Delete scenario
          </button>
        )}
      </div>
      <TextField path={`${base}.description`} label="Description" optional />

      <h3 className={styles.subTitle}>Instances</h3>
      <div className={styles.table} data-path={`${base}.instances`}>
        {scenario.instances.map((inst, i) => {
          const res = doc.resources.find((r) => r.name === inst.type);
          return (
            <div key={i} className={styles.tableRow}>
              <TextField path={`${base}.instances[${i}].name`} label="name" mono />
              <SelectField path={`${base}.instances[${i}].type`} label="type" options={doc.resources.map((r) => r.name)} />
              <SelectField path={`${base}.instances[${i}].state`} label="starts in" options={res?.states.map((s) => s.name) ?? []} optional emptyLabel={`initial (${res?.initial ?? '?'})`} />
              {(res?.fields ?? []).map((f) =>
                f.type.kind === 'ref' ? (
                  <SelectField key={f.name} path={`${base}.instances[${i}].fields.${f.name}`} label={f.name} optional emptyLabel="(auto)" options={scenario.instances.filter((x) => x.type === (f.type as { resource: string }).resource).map((x) => x.name)} />
                ) : f.type.kind === 'int' ? (
                  <NumberField key={f.name} path={`${base}.instances[${i}].fields.${f.name}`} label={f.name} min={f.type.min} max={f.type.max} optional />
                ) : (
                  <SelectField
                    key={f.name}
                    path={`${base}.instances[${i}].fields.${f.name}`}
                    label={f.name}
                    optional
                    emptyLabel={`initial (${String(f.initial ?? (f.type.kind === 'bool' ? false : f.type.values[0]))})`}
                    options={f.type.kind === 'bool' ? ['true', 'false'] : f.type.values}
                    parse={f.type.kind === 'bool' ? (v) => v === 'true' : undefined}
                  />
                ),
              )}
              {!readOnly && (
                <button type="button" className={styles.iconButton} aria-label={`Remove instance ${inst.name}`} onClick={() => edit({ type: 'remove', list: `${base}.instances`, index: i })}>
                  ×
                </button>
              )}
            </div>
          );
        })}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const r = doc.resources[0];
              edit({ type: 'insert', list: `${base}.instances`, index: scenario.instances.length, value: { name: freshName(`${r.name.toLowerCase()}1`, instanceNames), type: r.name } });
            }}
          >
            + Instance
          </button>
        )}
      </div>

      <h3 className={styles.subTitle}>Nodes and processes</h3>
      <p className={styles.hint}>Each lane is a node. Drag a process to another lane to run it there.</p>
      <Lanes index={index} scenario={scenario} />

      <h3 className={styles.subTitle}>Faults and checks</h3>
      <div className={styles.row}>
        <NumberField path={`${base}.faults.crash`} placeholder="0" label="crashes" min={0} max={8} optional />
        <NumberField path={`${base}.faults.leaseExpiry`} placeholder="0" label="lease expiries" min={0} max={8} optional />
        <NumberField path={`${base}.faults.callFailure`} placeholder="0" label="call failures" min={0} max={8} optional />
        <NumberField path={`${base}.faults.heartbeatLoss`} placeholder="0" label="heartbeat losses" min={0} max={8} optional />
      </div>
      <div className={styles.chips}>
        {(['invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite'] as const).map((c) => (
          <ChecksToggle key={c} path={`${base}.checks.${c}`} label={c} />
        ))}
      </div>
      <div className={styles.chips} role="group" aria-label="Liveness checks (weak fairness)" data-testid="liveness-checks">
        <LivenessToggle path={`${base}.checks.termination`} label="termination" title="Every operation that can end eventually ends (endless-loop daemons are exempt), under weak fairness" />
        <LivenessToggle path={`${base}.checks.leavesTransitional`} label="leavesTransitional" title="No instance stays in a transitional state for ever, under weak fairness" />
      </div>
      {doc.locks.length > 0 && (
        <>
          <h3 className={styles.subTitle}>Lock implementations in this scenario</h3>
          <p className={styles.hint}>Check the same operations with another lock backend (e.g. a file lock vs etcd on two nodes).</p>
          {doc.locks.map((l) => (
            <LockOverride key={l.name} base={`${base}.locks.${l.name}`} lock={l} override={scenario.locks?.[l.name]} />
          ))}
        </>
      )}
      <h3 className={styles.subTitle}>Expected verdict</h3>
      <div className={styles.row}>
        <ExpectFields index={index} scenario={scenario} />
      </div>

      <h3 className={styles.subTitle}>Scenario invariants</h3>
      {(scenario.invariants ?? []).map((_inv, i) => (
        <div key={i} className={styles.formCard} data-path={`${base}.invariants[${i}]`}>
          <NameInput
            path={`${base}.invariants[${i}].name`}
            value={_inv.name}
            label="Name"
            pattern={NAME}
            taken={(n) => (scenario.invariants ?? []).some((v) => v.name === n)}
            onCommit={(to) => edit({ type: 'renameInvariant', scenario: index, invariant: i, to })}
          />
          <ExprField path={`${base}.invariants[${i}].expr`} label="Must always hold (may name instances)" vocabulary={invariantVocabulary(doc, scenario)} />
          {!readOnly && (
            <button type="button" className={styles.linkButton} onClick={() => edit({ type: 'remove', list: `${base}.invariants`, index: i })}>
              Remove
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" className="btn btn-small" onClick={() => edit({ type: 'insert', list: `${base}.invariants`, index: scenario.invariants?.length ?? 0, value: { name: freshName('scenario-invariant', (scenario.invariants ?? []).map((v) => v.name)), expr: 'true' } })}>
          + Scenario invariant
        </button>
      )}
    </div>
  );
}

/** A built-in check: on unless switched off (`false` is stored; on removes the key). */
function ChecksToggle({ path, label }: { path: string; label: string }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const segments = path.split('.');
  const scenario = doc.scenarios[Number(/\[(\d+)\]/.exec(segments[0])![1])];
  const on = scenario?.checks?.[label as keyof NonNullable<Scenario['checks']>] !== false;
  return (
    <label className={styles.chip}>
      <input type="checkbox" checked={on} disabled={readOnly} data-path={path} onChange={(e) => edit({ type: 'set', path, value: e.target.checked ? undefined : false })} />
      {label}
    </label>
  );
}

/** A liveness check: off unless switched on (`true` is stored; off removes the key) — it searches the whole graph again. */
function LivenessToggle({ path, label, title }: { path: string; label: 'termination' | 'leavesTransitional'; title: string }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const scenario = doc.scenarios[Number(/\[(\d+)\]/.exec(path)![1])];
  const on = scenario?.checks?.[label] === true;
  return (
    <label className={styles.chip} title={title}>
      <input type="checkbox" checked={on} disabled={readOnly} data-path={path} onChange={(e) => edit({ type: 'set', path, value: e.target.checked ? true : undefined })} />
      {label} <span className={styles.hint}>(liveness)</span>
    </label>
  );
}

function ExpectFields({ index, scenario }: { index: number; scenario: Scenario }) {
  const edit = useEdit();
  const readOnly = useReadOnly();
  const base = `scenarios[${index}].expect`;
  const verdict = scenario.expect?.verdict ?? '';
  return (
    <>
      <div className={styles.field}>
        <label className={styles.label}>
          Verdict
          <select
            className="input"
            value={verdict}
            disabled={readOnly}
            data-path={base}
            onChange={(e) => edit({ type: 'set', path: base, value: e.target.value === '' ? undefined : e.target.value === 'pass' ? { verdict: 'pass' } : { verdict: 'violation', kind: 'invariant' } })}
          >
            <option value="">(not recorded)</option>
            <option value="pass">pass</option>
            <option value="violation">violation</option>
          </select>
        </label>
      </div>
      {scenario.expect?.verdict === 'violation' && (
        <>
          <SelectField path={`${base}.kind`} label="kind" options={['invariant', 'assertion', 'illegal-transition', 'deadlock', 'stuck-transitional', 'lock-leak', 'release-unheld', 'stale-write', 'invalid-value']} />
          <TextField path={`${base}.name`} label="name (invariant or assertion)" optional />
        </>
      )}
    </>
  );
}

/**
 * One lock's policy in this scenario: every field of the lock may be overridden
 * (backend, scope, what a crash does, lease expiry, fencing); each empty choice
 * names what applies without it.
 */
function LockOverride({ base, lock, override }: { base: string; lock: Lock; override: Scenario['locks'] extends Record<string, infer O> | undefined ? O | undefined : never }) {
  const effective = lockPolicy(lock, override);
  // What a field is when this scenario leaves it empty: the lock's own value, or the overriding backend's default.
  const without = (field: 'scope' | 'onCrash' | 'leaseCanExpire' | 'fencing') => {
    const { [field]: _gone, ...rest } = override ?? {};
    return lockPolicy(lock, override ? rest : undefined)[field];
  };
  const yesNo = (v: boolean) => (v ? 'yes' : 'no');
  return (
    <fieldset className={styles.formCard} data-testid="lock-override" data-lock={lock.name}>
      <legend className={styles.label}>
        {lock.name} <span className={styles.hint}>in this scenario: {effective.backend ?? 'generic'}, {effective.scope} scope, on crash {effective.onCrash}{effective.leaseCanExpire ? ', lease can expire' : ''}{effective.fencing ? ', fencing' : ''}</span>
      </legend>
      <div className={styles.row}>
        <SelectField path={`${base}.backend`} label="backend" options={Object.keys(BACKEND_DEFAULTS)} optional emptyLabel={`as declared (${lock.backend ?? 'default'})`} className={styles.narrow} />
        <SelectField path={`${base}.scope`} label="scope" options={['process', 'node', 'cluster']} optional emptyLabel={`default (${without('scope')})`} className={styles.narrow} />
        <SelectField path={`${base}.onCrash`} label="on crash" options={['released', 'after-lease', 'never']} optional emptyLabel={`default (${without('onCrash')})`} className={styles.narrow} />
        <SelectField path={`${base}.leaseCanExpire`} label="lease can expire" options={[{ value: 'true', label: 'yes' }, { value: 'false', label: 'no' }]} optional emptyLabel={`default (${yesNo(without('leaseCanExpire') as boolean)})`} parse={(v) => v === 'true'} className={styles.narrow} />
        <SelectField path={`${base}.fencing`} label="fencing" options={[{ value: 'true', label: 'yes' }, { value: 'false', label: 'no' }]} optional emptyLabel={`default (${yesNo(without('fencing') as boolean)})`} parse={(v) => v === 'true'} className={styles.narrow} />
      </div>
    </fieldset>
  );
}
