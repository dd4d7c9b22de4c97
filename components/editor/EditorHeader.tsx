'use client';

import Link from 'next/link';
import type { VersionRecord } from '@/lib/db/models';
import { formatTime } from '@/components/ui/format';
import { useEditor, useStore } from './context';
import type { SaveStatus } from './useAutosave';
import styles from './editor.module.css';

/** Title, undo/redo and save state. Versions are authored by the signed-in account. */
export function EditorHeader({ modelId, status, base, onSave }: { modelId: string; status: SaveStatus; base: number; onSave: () => void }) {
  const name = useEditor((s) => s.doc.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const store = useStore();
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
        <SaveIndicator status={status} base={base} onSave={onSave} />
      </div>
    </header>
  );
}

function SaveIndicator({ status, base, onSave }: { status: SaveStatus; base: number; onSave: () => void }) {
  const text =
    status.kind === 'saved' ? `Saved · v${base}`
    : status.kind === 'dirty' ? 'Unsaved changes…'
    : status.kind === 'saving' ? 'Saving…'
    : status.kind === 'invalid' ? `Not saved: fix ${status.count} problem${status.count === 1 ? '' : 's'} first`
    : status.kind === 'conflict' ? 'Not saved: conflict'
    : `Not saved: ${status.message}`;
  const tone = status.kind === 'saved' ? styles.ok : status.kind === 'dirty' || status.kind === 'saving' ? 'muted' : styles.bad;
  return (
    <span className={styles.saveStatus} data-testid="save-status" data-status={status.kind}>
      <span className={tone}>{text}</span>
      {status.kind === 'error' && (
        <button type="button" className="btn btn-small" onClick={onSave}>
          Retry
        </button>
      )}
    </span>
  );
}

/** Shown when a save was refused (409): who saved the newer version and when; reload or save as a copy. */
export function ConflictBanner({ head, base, onReload, onCopy }: { head: VersionRecord; base: number; onReload: () => void; onCopy: () => void }) {
  return (
    <div className={`alert alert-warn ${styles.banner}`} role="alert" data-testid="conflict-banner">
      <span>
        <strong>Not saved: someone else saved this model.</strong> Version {head.number} was saved by <strong>{head.author}</strong> at {formatTime(head.createdAt)}
        {head.message ? ` (“${head.message}”)` : ''}. Your edits are based on version {base} and were not written; nothing was overwritten.
      </span>
      <span className={styles.bannerActions}>
        <button type="button" className="btn btn-small btn-primary" onClick={onReload}>
          Reload version {head.number} (drop my edits)
        </button>
        <button type="button" className="btn btn-small" onClick={onCopy}>
          Save my version as a copy
        </button>
      </span>
    </div>
  );
}
