'use client';

import { freshName } from '@/lib/editor/graph';
import { useDoc, useEdit, useEditor, useProblems, useReadOnly, useStore } from './context';
import { StateMachineCanvas } from './StateMachineCanvas';
import { StateInspector, TransitionInspector } from './StateInspector';
import { ResourceForm } from './ResourceForm';
import styles from './editor.module.css';

/** Resources down the side, the selected one's state machine in the middle, the inspector on the right. */
export function MachinesPanel() {
  const doc = useDoc();
  const index = useEditor((s) => Math.min(s.view.resource, s.doc.resources.length - 1));
  const selection = useEditor((s) => s.selection);
  const store = useStore();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblems();
  const open = (resource: number) => {
    store.dispatch({ type: 'view', view: { resource } });
    store.dispatch({ type: 'select', selection: null });
  };
  const inspected = selection && selection.resource === index ? selection : null;
  return (
    <div className={styles.machines}>
      <nav className={styles.sideList} aria-label="Resources">
        <div className={styles.sideTitle}>Resources</div>
        {doc.resources.map((r, i) => {
          const count = problems.filter((p) => p.severity === 'error' && p.path.startsWith(`resources[${i}]`)).length;
          return (
            <button key={i} type="button" className={`${styles.sideItem} ${i === index ? styles.sideItemActive : ''}`} onClick={() => open(i)} data-testid="resource-tab">
              <span>{r.name}</span>
              <span className={styles.sideMeta}>{count > 0 ? <span className={styles.errCount}>{count}</span> : `${r.states.length}`}</span>
            </button>
          );
        })}
        {!readOnly && (
          <button
            type="button"
            className={`btn btn-small ${styles.sideAdd}`}
            onClick={() => {
              edit({ type: 'addResource', name: freshName('Resource', doc.resources.map((r) => r.name)) });
              open(doc.resources.length);
            }}
          >
            + Resource
          </button>
        )}
      </nav>
      <section className={styles.canvasCol} aria-label="State machine">
        <StateMachineCanvas key={index} resourceIndex={index} />
      </section>
      <aside className={styles.inspector} aria-label="Inspector">
        {inspected?.kind === 'state' ? (
          <StateInspector resource={index} name={inspected.name} />
        ) : inspected?.kind === 'transition' ? (
          <TransitionInspector resource={index} index={inspected.index} />
        ) : (
          <ResourceForm index={index} />
        )}
      </aside>
    </div>
  );
}

