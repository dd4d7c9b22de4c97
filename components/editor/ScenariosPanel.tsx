'use client';

import { useState } from 'react';
import { BACKEND_DEFAULTS, NAME, type Scenario } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useEditor, useProblems, useReadOnly, useStore } from './context';
import { ExprField, NumberField, OtherProblems, SelectField, TextField } from './fields';
import { NameInput } from './NameInput';
import styles from './forms.module.css';
import layout from './editor.module.css';
import lanes from './scenario.module.css';

const PROC_TYPE = 'application/x-lockstep-process';
type ProcList = 'processes' | 'recovery';

/** Scenarios: instances, nodes as lanes with their processes (drag a process to another lane to move it), faults, checks, expectation. */
export function ScenariosPanel() {
  const doc = useDoc();
  const index = useEditor((s) => Math.min(s.view.scenario, Math.max(0, s.doc.scenarios.length - 1)));
  const store = useStore();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const scenario = doc.scenarios[index];
  return (
    <div className={layout.twoCols}>
      <nav className={layout.sideList} aria-label="Scenarios">
        <div className={layout.sideTitle}>Scenarios</div>
        {doc.scenarios.map((s, i) => {
          const count = problems.filter((p) => p.severity === 'error' && p.path.startsWith(`scenarios[${i}]`)).length;
          return (
            <button key={i} type="button" className={`${layout.sideItem} ${i === index ? layout.sideItemActive : ''}`} onClick={() => store.dispatch({ type: 'view', view: { scenario: i } })} data-testid="scenario-tab">
              <span>{s.name}</span>
              <span className={layout.sideMeta}>{count > 0 ? <span className={layout.errCount}>{count}</span> : s.expect?.verdict ?? ''}</span>
            </button>
          );
        })}
        {!readOnly && (
          <button
            type="button"
            className={`btn btn-small ${layout.sideAdd}`}
            onClick={() => {
              edit({ type: 'insert', list: 'scenarios', index: doc.scenarios.length, value: starterScenario(doc, freshName('scenario', doc.scenarios.map((s) => s.name))) });
              store.dispatch({ type: 'view', view: { scenario: doc.scenarios.length } });
            }}
          >
            + Scenario
          </button>
        )}
      </nav>
      <section className={layout.mainCol}>{scenario ? <ScenarioForm key={index} index={index} scenario={scenario} /> : <p className="muted">No scenarios yet: a scenario says what runs at once.</p>}</section>
    </div>
  );
}

function starterScenario(doc: ReturnType<typeof useDoc>, name: string): Scenario {
  const op = doc.operations[0];
  const instances = doc.resources.map((r) => ({ name: `${r.name.toLowerCase()}1`, type: r.name }));
  const args = Object.fromEntries((op?.params ?? []).map((p) => [p.name, instances.find((i) => i.type === p.type)?.name ?? p.name]));
  return { name, instances, processes: op ? [{ name: 'p1', operation: op.name, args }] : [] } as Scenario;
}

function ScenarioForm({ index, scenario }: { index: number; scenario: Scenario }) {
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
                ) : null,
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
        <NumberField path={`${base}.faults.crash`} label="crashes" min={0} max={8} optional />
        <NumberField path={`${base}.faults.leaseExpiry`} label="lease expiries" min={0} max={8} optional />
        <NumberField path={`${base}.faults.callFailure`} label="call failures" min={0} max={8} optional />
      </div>
      <div className={styles.chips}>
        {(['invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite'] as const).map((c) => (
          <ChecksToggle key={c} path={`${base}.checks.${c}`} label={c} />
        ))}
      </div>
      {doc.locks.length > 0 && (
        <>
          <h3 className={styles.subTitle}>Lock implementations in this scenario</h3>
          <p className={styles.hint}>Check the same operations with another lock backend (e.g. a file lock vs etcd on two nodes).</p>
          <div className={styles.row}>
            {doc.locks.map((l) => (
              <SelectField key={l.name} path={`${base}.locks.${l.name}.backend`} label={l.name} options={Object.keys(BACKEND_DEFAULTS)} optional emptyLabel={`as declared (${l.backend ?? 'default'})`} className={styles.narrow} />
            ))}
          </div>
        </>
      )}
      <h3 className={styles.subTitle}>Expected verdict</h3>
      <div className={styles.row}>
        <ExpectFields index={index} scenario={scenario} />
      </div>

      <h3 className={styles.subTitle}>Scenario invariants</h3>
      {(scenario.invariants ?? []).map((inv, i) => (
        <div key={i} className={styles.formCard} data-path={`${base}.invariants[${i}]`}>
          <TextField path={`${base}.invariants[${i}].name`} label="Name" mono />
          <ExprField path={`${base}.invariants[${i}].expr`} label="Must always hold (may name instances)" />
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

type Placed = { list: ProcList; index: number; node?: string };

function Lanes({ index, scenario }: { index: number; scenario: Scenario }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const base = `scenarios[${index}]`;
  const nodes = scenario.nodes ?? [];
  const all: Placed[] = [
    ...scenario.processes.map((p, i) => ({ list: 'processes' as const, index: i, node: p.node })),
    ...(scenario.recovery ?? []).map((p, i) => ({ list: 'recovery' as const, index: i, node: p.node })),
  ];
  const known = new Set(nodes.map((n) => n.name));
  const unplaced = all.filter((p) => p.node === undefined || !known.has(p.node));
  const laneList: Array<{ node: string | undefined; title: string; path?: string; nodeIndex?: number }> = [
    ...nodes.map((n, i) => ({ node: n.name, title: n.name, path: `${base}.nodes[${i}]`, nodeIndex: i })),
  ];
  if (nodes.length === 0 || unplaced.length > 0) laneList.push({ node: undefined, title: nodes.length === 0 ? 'one node (no nodes declared)' : 'not placed' });
  return (
    <div className={lanes.lanes} data-path={`${base}.processes`}>
      {laneList.map((lane) => (
        <Lane key={lane.title} scenarioIndex={index} scenario={scenario} lane={lane} processes={lane.node === undefined ? unplaced : all.filter((p) => p.node === lane.node)} />
      ))}
      {!readOnly && (
        <div className={lanes.laneActions}>
          <button type="button" className="btn btn-small" onClick={() => edit({ type: 'insert', list: `${base}.nodes`, index: nodes.length, value: { name: freshName(`node${nodes.length + 1}`, nodes.map((n) => n.name)) } })}>
            + Node
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={doc.operations.length === 0}
            onClick={() => {
              const op = doc.operations[0];
              const args = Object.fromEntries(op.params.map((p) => [p.name, scenario.instances.find((i) => i.type === p.type)?.name ?? p.name]));
              edit({ type: 'insert', list: `${base}.processes`, index: scenario.processes.length, value: { name: freshName('p', scenario.processes.map((p) => p.name ?? p.operation)), operation: op.name, args, ...(nodes[0] ? { node: nodes[0].name } : {}) } });
            }}
          >
            + Process
          </button>
          {scenario.processes.length > 0 && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() =>
                edit({ type: 'insert', list: `${base}.recovery`, index: scenario.recovery?.length ?? 0, value: { name: freshName('recovery', (scenario.recovery ?? []).map((p) => p.name ?? '')), operation: scenario.processes[0].operation, args: scenario.processes[0].args, after: scenario.processes[0].name ?? scenario.processes[0].operation } })
              }
            >
              + Recovery process
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function Lane({ scenarioIndex, scenario, lane, processes }: { scenarioIndex: number; scenario: Scenario; lane: { node: string | undefined; title: string; path?: string; nodeIndex?: number }; processes: Placed[] }) {
  const edit = useEdit();
  const readOnly = useReadOnly();
  const [over, setOver] = useState(false);
  const base = `scenarios[${scenarioIndex}]`;
  return (
    <div
      className={`${lanes.lane} ${over ? lanes.laneOver : ''}`}
      data-testid="lane"
      data-node={lane.node ?? ''}
      onDragOver={(e) => {
        if (readOnly || !e.dataTransfer.types.includes(PROC_TYPE)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node)) setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        const raw = e.dataTransfer.getData(PROC_TYPE);
        if (!raw) return;
        e.preventDefault();
        const from = JSON.parse(raw) as { list: ProcList; index: number };
        edit({ type: 'placeProcess', scenario: scenarioIndex, list: from.list, index: from.index, node: lane.node });
      }}
    >
      <div className={lanes.laneHead}>
        {lane.path ? (
          <>
            <TextField path={`${lane.path}.name`} label="node" mono className={lanes.nodeName} />
            {!readOnly && (
              <button type="button" className={styles.iconButton} aria-label={`Remove node ${lane.node}`} onClick={() => edit({ type: 'remove', list: `${base}.nodes`, index: lane.nodeIndex! })}>
                ×
              </button>
            )}
          </>
        ) : (
          <span className={lanes.laneTitle}>{lane.title}</span>
        )}
      </div>
      <div className={lanes.laneBody}>
        {processes.map((p) => (
          <ProcessCard key={`${p.list}${p.index}`} scenarioIndex={scenarioIndex} scenario={scenario} placed={p} />
        ))}
        {processes.length === 0 && <div className={lanes.empty}>drop a process here</div>}
      </div>
    </div>
  );
}

function ProcessCard({ scenarioIndex, scenario, placed }: { scenarioIndex: number; scenario: Scenario; placed: Placed }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const path = `scenarios[${scenarioIndex}].${placed.list}[${placed.index}]`;
  const proc = placed.list === 'processes' ? scenario.processes[placed.index] : scenario.recovery![placed.index];
  const op = doc.operations.find((o) => o.name === proc.operation);
  const shown = new Set(['name', 'operation', 'count', 'after', 'node', 'osProcess', ...(op?.params.map((p) => `args.${p.name}`) ?? [])]);
  const other = problems.filter((p) => p.path.startsWith(`${path}.`) && !shown.has(p.path.slice(path.length + 1)));
  const node = scenario.nodes?.find((n) => n.name === proc.node);
  return (
    <div
      className={`${lanes.proc} ${placed.list === 'recovery' ? lanes.recovery : ''}`}
      data-testid="process-card"
      data-process={proc.name ?? proc.operation}
      data-path={path}
    >
      <div
        className={lanes.procHead}
        draggable={!readOnly}
        data-testid="process-grip"
        title="Drag to another node"
        onDragStart={(e) => {
          e.dataTransfer.setData(PROC_TYPE, JSON.stringify({ list: placed.list, index: placed.index }));
          e.dataTransfer.effectAllowed = 'move';
        }}
      >
        <span className={lanes.grip} aria-hidden>
          ⋮⋮
        </span>
        <strong>{proc.name ?? proc.operation}</strong>
        {placed.list === 'recovery' && <span className={lanes.badge}>recovery</span>}
        {!readOnly && (
          <button type="button" className={styles.iconButton} aria-label={`Remove process ${proc.name ?? proc.operation}`} onClick={() => edit({ type: 'remove', list: `scenarios[${scenarioIndex}].${placed.list}`, index: placed.index })}>
            ×
          </button>
        )}
      </div>
      <TextField path={`${path}.name`} label="name" optional mono />
      <div className={styles.field}>
        <label className={styles.label}>
          operation
          <select
            className="input"
            value={proc.operation}
            disabled={readOnly}
            data-path={`${path}.operation`}
            onChange={(e) => {
              const next = doc.operations.find((o) => o.name === e.target.value);
              const args = Object.fromEntries((next?.params ?? []).map((p) => [p.name, scenario.instances.find((i) => i.type === p.type)?.name ?? p.name]));
              edit({ type: 'set', path, value: { ...proc, operation: e.target.value, args } });
            }}
          >
            {!op && <option value={proc.operation}>{proc.operation || 'choose…'}</option>}
            {doc.operations.map((o) => (
              <option key={o.name}>{o.name}</option>
            ))}
          </select>
        </label>
      </div>
      {op?.params.map((p) => (
        <SelectField key={p.name} path={`${path}.args.${p.name}`} label={`${p.name}: ${p.type}`} options={scenario.instances.filter((i) => i.type === p.type).map((i) => i.name)} />
      ))}
      {placed.list === 'processes' ? (
        <NumberField path={`${path}.count`} label="copies" min={1} max={16} optional />
      ) : (
        <SelectField path={`${path}.after`} label="starts after this crashes" options={scenario.processes.map((p) => p.name ?? p.operation)} />
      )}
      {node?.osProcesses && node.osProcesses.length > 0 && <SelectField path={`${path}.osProcess`} label="OS process" options={node.osProcesses} optional />}
      <OtherProblems problems={other} />
    </div>
  );
}

