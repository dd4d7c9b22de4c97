'use client';

import dynamic from 'next/dynamic';
import { useEffect, useRef } from 'react';
import type { Tab } from '@/lib/editor/store';
import { useEditor, useProblems, useStore } from './context';
import { useFocusEffect } from './focus';
import { MachinesPanel } from './MachinesPanel';
import { OperationsPanel } from './OperationsPanel';
import { LocksPanel } from './LocksPanel';
import { InvariantsPanel } from './InvariantsPanel';
import { ScenariosPanel } from './ScenariosPanel';
import { ProblemsPanel } from './ProblemsPanel';
import styles from './editor.module.css';

const JsonView = dynamic(() => import('./JsonView').then((m) => m.JsonView), { ssr: false, loading: () => <p className="muted">Loading the JSON editor…</p> });

export const TABS: Array<{ tab: Tab; label: string; prefix?: string }> = [
  { tab: 'machines', label: 'State machines', prefix: 'resources' },
  { tab: 'operations', label: 'Operations', prefix: 'operations' },
  { tab: 'locks', label: 'Locks', prefix: 'locks' },
  { tab: 'invariants', label: 'Invariants', prefix: 'invariants' },
  { tab: 'scenarios', label: 'Scenarios', prefix: 'scenarios' },
  { tab: 'json', label: 'JSON' },
  { tab: 'history', label: 'History' },
];

/** Tabs over the parts of the model, the open part, and the problems panel. */
export function Workbench({ history }: { history: React.ReactNode | null }) {
  const tab = useEditor((s) => s.view.tab);
  const store = useStore();
  const problems = useProblems();
  const root = useRef<HTMLDivElement>(null);
  useFocusEffect(root);
  // The open tab lives in the URL hash (#operations…), so a link can open a part of the editor (read in Editor).
  const shown = useRef<Tab | null>(null);
  useEffect(() => {
    // Only a change of tab is written: the first render's default must not overwrite the hash being read.
    if (shown.current === null || shown.current === tab) {
      shown.current = tab;
      return;
    }
    shown.current = tab;
    if (history !== null && window.location.hash.slice(1) !== tab) window.history.replaceState(null, '', `#${tab}`);
  }, [tab, history]);
  const tabs = TABS.filter((t) => t.tab !== 'history' || history !== null);
  const current = tab === 'history' && history === null ? 'machines' : tab;
  const select = (next: Tab) => store.dispatch({ type: 'view', view: { tab: next } });
  // WAI-ARIA tabs: arrow keys, Home and End move focus and selection together (one tab stop, roving tabindex).
  const onTabKey = (e: React.KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.tab === current);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length].tab;
    select(next);
    document.getElementById(`editor-tab-${next}`)?.focus();
  };
  return (
    <div className={styles.workbench} ref={root}>
      <div className={styles.tabs} role="tablist" aria-label="Model parts" onKeyDown={onTabKey}>
        {tabs.map((t) => {
          const count = t.prefix ? problems.filter((p) => p.severity === 'error' && p.path.startsWith(t.prefix!)).length : 0;
          const selected = current === t.tab;
          return (
            <button
              key={t.tab}
              id={`editor-tab-${t.tab}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls="editor-tabpanel"
              tabIndex={selected ? 0 : -1}
              className={`${styles.tab} ${selected ? styles.tabActive : ''}`}
              onClick={() => select(t.tab)}
            >
              {t.label}
              {count > 0 && <span className={styles.errCount} aria-label={`${count} ${count === 1 ? 'error' : 'errors'}`}>{count}</span>}
            </button>
          );
        })}
      </div>
      <div className={styles.panel} role="tabpanel" id="editor-tabpanel" aria-labelledby={`editor-tab-${current}`}>
        {current === 'machines' && <MachinesPanel />}
        {current === 'operations' && <OperationsPanel />}
        {current === 'locks' && <LocksPanel />}
        {current === 'invariants' && <InvariantsPanel />}
        {current === 'scenarios' && <ScenariosPanel />}
        {current === 'json' && <JsonView />}
        {current === 'history' && history}
      </div>
      <ProblemsPanel />
    </div>
  );
}
