'use client';

import { useState } from 'react';
import { useProblemsAt, useReadOnly } from './context';
import { FieldProblems } from './fields';
import styles from './forms.module.css';

/** A name edited as a draft and committed on Enter or blur (renames update references). */
export function NameInput({ path, value, label, taken, pattern, onCommit }: { path: string; value: string; label: string; taken: (name: string) => boolean; pattern: RegExp; onCommit: (name: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const readOnly = useReadOnly();
  const problems = useProblemsAt(path);
  const v = draft ?? value;
  const isTaken = v !== value && taken(v);
  const bad = !pattern.test(v);
  const commit = () => {
    if (draft !== null && !isTaken && !bad && draft !== value) onCommit(draft);
    setDraft(null);
  };
  return (
    <div className={styles.field}>
      <label className={styles.label}>
        {label}
        <input
          className={`input ${styles.mono} ${isTaken || bad ? styles.invalid : ''}`}
          value={v}
          readOnly={readOnly}
          data-path={path}
          onChange={(e) => setDraft(e.target.value.trim())}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </label>
      {isTaken && <div className={styles.fieldProblems}>'{v}' already exists</div>}
      {bad && <div className={styles.fieldProblems}>letters, digits, _ and - only</div>}
      <FieldProblems problems={problems} />
    </div>
  );
}
