'use client';

/**
 * The form of a `repeat` step: its `until` test. The body ("each round") is
 * the step's nested block, which the step card shows like atomic's and with's.
 * An empty test means the loop runs for ever: the operation is a daemon.
 */
import { useMemo } from 'react';
import type { Step } from '@/lib/model';
import { operationVocabulary } from '@/lib/editor/vocabulary';
import { useDoc } from '../context';
import { ExprField } from '../fields';
import styles from '../forms.module.css';

export function RepeatForm({ opIndex, path, step }: { opIndex: number; path: string; step: Extract<Step, { kind: 'repeat' }> }) {
  const doc = useDoc();
  const op = doc.operations[opIndex];
  const vocab = useMemo(() => operationVocabulary(doc, op), [doc, op]);
  return (
    <>
      <ExprField
        path={`${path}.until`}
        label="until"
        optional
        vocabulary={vocab}
        hint={
          step.until === undefined
            ? 'Empty: the loop runs for ever — a daemon (poller, periodic job, heartbeat), exempt from the termination check.'
            : 'Tested after each round: true leaves the loop, false runs it again.'
        }
      />
      <span className={`muted ${styles.hint}`} data-testid="repeat-shape">
        {step.until === undefined ? 'repeat forever { … }' : `repeat { … } until ${step.until}`}
      </span>
    </>
  );
}
