'use client';

import { useMemo, useState } from 'react';
import type { MergeConflict, Resolution } from '@/lib/transport/drafts';
import type { VersionRecord } from '@/lib/transport/models';
import type { ApiIssue } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';
import { formatTime } from '@/components/ui/format';
import styles from './merge.module.css';

type Side = 'base' | 'head' | 'draft';
type Choice = { kind: 'pick'; side: Side } | { kind: 'edit'; text: string };

/** A value as a person reads it: text as it is, anything structured as JSON, absence said so. */
function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** Text fields are edited as text; anything else (steps, lists, records, numbers) as JSON. */
const isText = (c: MergeConflict) => [c.base, c.head, c.draft].every((v) => v === undefined || typeof v === 'string');

function parseEdit(conflict: MergeConflict, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (isText(conflict)) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * The merge view: the save was based on an older version and someone else's
 * version changed the same things. Each conflict shows base, theirs (the
 * latest version, with its author) and yours; pick one or edit the value.
 * Saves once every conflict is resolved.
 */
export function MergeView(props: {
  conflicts: MergeConflict[];
  head: VersionRecord;
  baseVersion: number;
  busy: boolean;
  failure: { message: string; issues: ApiIssue[] } | null;
  onSave: (resolutions: Record<string, Resolution>) => void;
  onCancel: () => void;
}) {
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const parsed = useMemo(() => {
    const out: Record<string, ReturnType<typeof parseEdit>> = {};
    for (const c of props.conflicts) {
      const choice = choices[c.id];
      if (choice?.kind === 'edit') out[c.id] = parseEdit(c, choice.text);
    }
    return out;
  }, [choices, props.conflicts]);
  const resolved = props.conflicts.filter((c) => choices[c.id] && (choices[c.id].kind === 'pick' || parsed[c.id]?.ok)).length;
  const all = resolved === props.conflicts.length;

  const save = () => {
    const resolutions: Record<string, Resolution> = {};
    for (const c of props.conflicts) {
      const choice = choices[c.id];
      if (choice?.kind === 'pick') resolutions[c.id] = { pick: choice.side };
      else if (choice?.kind === 'edit') {
        const p = parsed[c.id];
        if (p?.ok) resolutions[c.id] = { value: p.value };
      }
    }
    props.onSave(resolutions);
  };

  const sides: Array<{ side: Side; title: string }> = [
    { side: 'base', title: `Base (version ${props.baseVersion})` },
    { side: 'head', title: `Theirs (version ${props.head.number}, ${props.head.author})` },
    { side: 'draft', title: 'Yours (your draft)' },
  ];

  return (
    <section className={styles.view} aria-label="Merge" data-testid="merge-view">
      <header className={styles.header}>
        <div>
          <h2>Merge with version {props.head.number}</h2>
          <p className="muted">
            <strong>{props.head.author}</strong> saved version {props.head.number} at {formatTime(props.head.createdAt)}
            {props.head.message ? ` (“${props.head.message}”)` : ''} after you started from version {props.baseVersion}. Everything else merged by
            itself; {props.conflicts.length === 1 ? 'one change conflicts' : `${props.conflicts.length} changes conflict`}. Choose for each.
          </p>
        </div>
        <div className={styles.actions}>
          <span className="muted" data-testid="merge-progress">
            {resolved} of {props.conflicts.length} resolved
          </span>
          <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
            Back to my draft
          </button>
          <button type="button" className="btn btn-primary" onClick={save} disabled={!all || props.busy} data-testid="merge-save">
            {props.busy ? 'Saving…' : 'Save merged version'}
          </button>
        </div>
      </header>
      {props.failure && <IssueList title={props.failure.message} issues={props.failure.issues} testId="merge-error" />}
      <ol className={styles.list}>
        {props.conflicts.map((c) => {
          const choice = choices[c.id];
          const editing = choice?.kind === 'edit';
          const problem = editing ? parsed[c.id] : undefined;
          return (
            <li key={c.id} className={styles.conflict} data-testid="merge-conflict" data-conflict-id={c.id} data-resolved={choice ? 'true' : 'false'}>
              <h3>
                {c.where} {c.path && <code>{c.path}</code>}
              </h3>
              <div className={styles.sides}>
                {sides.map(({ side, title }) => (
                  <label key={side} className={`${styles.side} ${choice?.kind === 'pick' && choice.side === side ? styles.chosen : ''}`} data-side={side}>
                    <span className={styles.sideTitle}>
                      <input
                        type="radio"
                        name={`merge-${c.id}`}
                        checked={choice?.kind === 'pick' && choice.side === side}
                        onChange={() => setChoices((all) => ({ ...all, [c.id]: { kind: 'pick', side } }))}
                        aria-label={`Use ${side === 'head' ? 'theirs' : side === 'draft' ? 'yours' : 'base'} for ${c.where}`}
                      />
                      {title}
                    </span>
                    <pre className={styles.value}>{show(c[side])}</pre>
                  </label>
                ))}
              </div>
              <div className={styles.edit}>
                <label>
                  <input
                    type="radio"
                    name={`merge-${c.id}`}
                    checked={editing}
                    onChange={() => setChoices((all) => ({ ...all, [c.id]: { kind: 'edit', text: isText(c) ? String(c.draft ?? c.head ?? '') : show(c.draft === undefined ? c.head : c.draft) } }))}
                    aria-label={`Edit the value of ${c.where}`}
                  />{' '}
                  Edit the value{isText(c) ? '' : ' (JSON)'}
                </label>
                {editing && (
                  <>
                    <textarea
                      className={`textarea ${styles.editor}`}
                      value={choice.text}
                      aria-label={`Merged value of ${c.where}`}
                      onChange={(e) => setChoices((all) => ({ ...all, [c.id]: { kind: 'edit', text: e.target.value } }))}
                      rows={isText(c) ? 2 : 6}
                    />
                    {problem && !problem.ok && <span className={styles.bad}>{problem.error}</span>}
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
