'use client';

import Link from 'next/link';
import { useEditor, useProblems, useStore } from './context';
import type { DraftStatus } from './useAutosave';
import { DraftCheckButton } from './DraftCheck';
import styles from './editor.module.css';

/** Title, undo/redo, the draft's state, Save version and Discard draft. */
export function EditorHeader({
  modelId,
  status,
  base,
  hasDraft,
  onSaveVersion,
  onDiscard,
  onRetry,
}: {
  modelId: string;
  status: DraftStatus;
  base: number;
  hasDraft: boolean;
  onSaveVersion: () => void;
  onDiscard: () => void;
  onRetry: () => void;
}) {
  const name = useEditor((s) => s.doc.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const store = useStore();
  // A version must validate: errors (not lint warnings) hold Save version back.
  const problems = useProblems().filter((p) => p.severity === 'error').length;
  return (
    <header className={styles.header}>
      <div className={styles.titleBlock}>
        <nav className={styles.crumbs}>
          <Link href="/">Models</Link> / <Link href={`/models/${modelId}`}>{name}</Link> / editor
        </nav>
        <h1 className={styles.title} data-testid="editor-title">
          {name}
        </h1>
      </div>
      <div className={styles.headerTools}>
        <button type="button" className="btn btn-small" disabled={!canUndo} onClick={() => store.dispatch({ type: 'undo' })} title="Undo (Ctrl+Z)" aria-label="Undo">
          ↶ Undo
        </button>
        <button type="button" className="btn btn-small" disabled={!canRedo} onClick={() => store.dispatch({ type: 'redo' })} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
          ↷ Redo
        </button>
        <DraftIndicator status={status} base={base} problems={problems} onRetry={onRetry} />
        {hasDraft && (
          <button type="button" className="btn btn-small" onClick={onDiscard} data-testid="discard-draft">
            Discard draft
          </button>
        )}
        <DraftCheckButton />
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={onSaveVersion}
          disabled={!hasDraft || problems > 0}
          title={problems > 0 ? `Fix ${problems} problem${problems === 1 ? '' : 's'} first` : !hasDraft ? 'No changes since this version' : 'Save the draft as the next version (Ctrl+S)'}
          data-testid="save-version"
        >
          Save version
        </button>
      </div>
    </header>
  );
}

function DraftIndicator({ status, base, problems, onRetry }: { status: DraftStatus; base: number; problems: number; onRetry: () => void }) {
  const text =
    status.kind === 'clean' ? `Version ${base} · no changes`
    : status.kind === 'pending' ? `Editing · based on version ${base}`
    : status.kind === 'writing' ? 'Saving draft…'
    : status.kind === 'saved' ? `Draft saved · based on version ${base}`
    : `Draft not saved: ${status.message}`;
  const tone = status.kind === 'error' ? styles.bad : status.kind === 'saved' || status.kind === 'clean' ? styles.ok : 'muted';
  return (
    <span className={styles.saveStatus} data-testid="save-status" data-status={status.kind}>
      <span className={tone}>{text}</span>
      {problems > 0 && status.kind !== 'error' && (
        <span className={styles.bad} data-testid="draft-problems">
          · {problems} problem{problems === 1 ? '' : 's'}
        </span>
      )}
      {status.kind === 'error' && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </span>
  );
}
