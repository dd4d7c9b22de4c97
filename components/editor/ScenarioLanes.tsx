'use client';

import { useState } from 'react';
import type { Scenario } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { getIn } from '@/lib/editor/path';
import { useDoc, useEdit, useProblems, useReadOnly } from './context';
import { NumberField, OtherProblems, SelectField, TextField } from './fields';
import styles from './forms.module.css';
import lanes from './scenario.module.css';

const PROC_TYPE = 'application/x-lockstep-process';
type ProcList = 'processes' | 'recovery';

type Placed = { list: ProcList; index: number; node?: string };

/** Nodes as lanes with their processes; dropping a process on a lane runs it on that node. */
export function Lanes({ index, scenario }: { index: number; scenario: Scenario }) {
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
              // The first operation the scenario does not run yet (what races the delete?), else the first.
              const running = new Set(scenario.processes.map((p) => p.operation));
              const op = doc.operations.find((o) => !running.has(o.name)) ?? doc.operations[0];
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
            <OsProcesses path={`${lane.path}.osProcesses`} />
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
        <NumberField path={`${path}.count`} label="copies" min={1} max={16} optional placeholder="1" />
      ) : (
        <SelectField path={`${path}.after`} label="starts after this crashes" options={scenario.processes.map((p) => p.name ?? p.operation)} />
      )}
      {node?.osProcesses && node.osProcesses.length > 0 && <SelectField path={`${path}.osProcess`} label="OS process" options={node.osProcesses} optional />}
      <OtherProblems problems={other} />
    </div>
  );
}

/** A node's OS processes, comma-separated (processes on one node share its single OS process when none are named). */
function OsProcesses({ path }: { path: string }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const value = (getIn(doc, path) as string[] | undefined) ?? [];
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const list = draft.split(',').map((v) => v.trim()).filter(Boolean);
    edit({ type: 'set', path, value: list.length ? list : undefined });
    setDraft(null);
  };
  return (
    <div className={`${styles.field} ${lanes.nodeName}`}>
      <label className={styles.label}>
        OS processes
        <input
          className={`input ${styles.mono}`}
          value={draft ?? value.join(', ')}
          placeholder="(one)"
          readOnly={readOnly}
          data-path={path}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </label>
    </div>
  );
}
