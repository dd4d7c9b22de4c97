'use client';

import type { Scenario } from '@/lib/model';
import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useEditor, useProblems, useReadOnly, useStore } from './context';
import { ScenarioForm } from './ScenarioForm';
import { DraftCheckSummary, DraftTrace, DraftVerdictMark } from './DraftCheck';
import layout from './editor.module.css';

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
              <span className={layout.sideMeta}>{count > 0 ? <span className={layout.errCount}>{count}</span> : <DraftVerdictMark name={s.name} fallback={s.expect?.verdict ?? ''} />}</span>
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
        <DraftCheckSummary />
      </nav>
      <section className={layout.mainCol}>
        <DraftTrace />
        {scenario ? <ScenarioForm key={index} index={index} scenario={scenario} /> : <p className="muted">No scenarios yet: a scenario says what runs at once.</p>}
      </section>
    </div>
  );
}

function starterScenario(doc: ReturnType<typeof useDoc>, name: string): Scenario {
  const op = doc.operations[0];
  const instances = doc.resources.map((r) => ({ name: `${r.name.toLowerCase()}1`, type: r.name }));
  const args = Object.fromEntries((op?.params ?? []).map((p) => [p.name, instances.find((i) => i.type === p.type)?.name ?? p.name]));
  return { name, instances, processes: op ? [{ name: 'p1', operation: op.name, args }] : [] } as Scenario;
}
