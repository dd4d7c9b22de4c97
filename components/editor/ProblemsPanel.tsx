'use client';

import { useEffect, useState } from 'react';
import { describePath } from '@/lib/editor/locate';
import { useDoc, useProblems } from './context';
import { useFocusPath } from './focus';
import styles from './editor.module.css';

/** Every schema, name, type (and lint) problem; a click opens and focuses the element at fault. */
export function ProblemsPanel() {
  const problems = useProblems();
  const doc = useDoc();
  const focus = useFocusPath();
  const [open, setOpen] = useState(true);
  // Open or closed is remembered per browser (read after hydration: the server renders it open).
  useEffect(() => {
    if (readStored() === 'closed') setOpen(false);
  }, []);
  const toggle = () =>
    setOpen((was) => {
      writeStored(was ? 'closed' : 'open');
      return !was;
    });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return (
    <section className={`${styles.problems} ${open ? '' : styles.problemsClosed}`} aria-label="Problems" data-testid="problems-panel">
      <button type="button" className={styles.problemsHead} onClick={toggle} aria-expanded={open} aria-controls={open && problems.length > 0 ? "problems-list" : undefined} title={open ? 'Hide the problem list' : 'Show the problem list'}>
        <span className={styles.problemsTitle}>Problems</span>
        {errors === 0 ? (
          <span className={styles.ok} data-testid="problems-count">
            ✓ The model validates{warnings ? <span className={styles.warnText}> · {warnings} warning{warnings === 1 ? '' : 's'}</span> : ''}
          </span>
        ) : (
          <span className={styles.bad} data-testid="problems-count">
            {errors} error{errors === 1 ? '' : 's'}
            {warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}
          </span>
        )}
        <span className={styles.chev}>{open ? '▾' : '▸'}</span>
      </button>
      {open && problems.length > 0 && (
        <ul className={styles.problemList} id="problems-list">
          {problems.map((p, i) => (
            <li key={i}>
              <button type="button" className={styles.problemItem} onClick={() => focus(p.path)} data-testid="problem-item">
                <span className={p.severity === 'error' ? styles.sevError : styles.sevWarn}>{p.severity === 'error' ? '●' : '▲'}</span>
                <span className={styles.problemWhere}>{describePath(doc, p.path)}</span>
                <span className={styles.problemMsg}>{p.message}</span>
                <code className={styles.problemPath}>{p.path || '(document)'}</code>
                <span className={styles.problemCode}>{p.code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const STORAGE_KEY = 'lockstep.problemsPanel';

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: stay open
  }
}

function writeStored(value: 'open' | 'closed') {
  try {
    window.localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}
