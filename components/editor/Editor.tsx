'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ModelWithHead, VersionRecord, VersionSummary } from '@/lib/db/models';
import { createEditorStore, type EditorStore } from '@/lib/editor/store';
import { callApi } from '@/components/ui/api-client';
import { formatTime } from '@/components/ui/format';
import { EditorProvider, useEditor, useStore } from './context';
import { RefusalProvider } from './refusal';
import { Workbench } from './Workbench';
import { HistoryPanel, fetchVersion } from './HistoryPanel';
import { useAutosave, type SaveStatus } from './useAutosave';
import { clearDraft, readDraft, type Draft } from './drafts';
import styles from './editor.module.css';

/** The model editor: one store, autosave with conflict detection, version history and read-only past versions. */
export function Editor({ model, versions: initialVersions }: { model: ModelWithHead; versions: VersionSummary[] }) {
  const [store] = useState(() => createEditorStore(model.head.document));
  const [versions, setVersions] = useState(initialVersions);
  const [viewing, setViewing] = useState<{ version: VersionRecord; store: EditorStore } | null>(null);
  const router = useRouter();
  const refreshVersions = useCallback(async () => {
    const result = await callApi<{ versions: VersionSummary[] }>(`/api/models/${model.id}/versions`);
    if (result.ok) setVersions(result.data.versions);
  }, [model.id]);
  const autosave = useAutosave(store, model.id, model.head, () => void refreshVersions());

  useUndoShortcuts(viewing ? null : store);

  // Unsaved work left in this browser by an earlier visit.
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    const d = readDraft(model.id);
    if (d && JSON.stringify(d.doc) !== JSON.stringify(model.head.document)) setDraft(d);
    else if (d) clearDraft(model.id);
  }, [model.id, model.head.document]);

  const open = async (n: number) => {
    const version = await fetchVersion(model.id, n);
    if (version) setViewing({ version, store: createEditorStore(version.document) });
  };
  const restore = () => {
    if (!viewing) return;
    store.dispatch({ type: 'edit', action: { type: 'replaceDocument', doc: viewing.version.document } });
    store.dispatch({ type: 'view', view: { ...viewing.store.getState().view, focus: null } });
    autosave.saveNow(`Restored version ${viewing.version.number}`);
    setViewing(null);
  };

  return (
    <div className={styles.root} data-testid="editor">
      <EditorProvider store={store}>
        <EditorHeader modelId={model.id} status={autosave.status} base={autosave.base} onSave={() => autosave.saveNow()} />
      </EditorProvider>
      {autosave.status.kind === 'conflict' && (
        <ConflictBanner
          head={autosave.status.head}
          base={autosave.base}
          onReload={() => void autosave.reload()}
          onCopy={async () => {
            const id = await autosave.saveAsCopy();
            if (id) router.push(`/models/${id}/edit`);
          }}
        />
      )}
      {draft && (
        <div className={`alert alert-warn ${styles.banner}`} role="alert" data-testid="draft-banner">
          <span>
            <strong>Unsaved changes</strong> from {formatTime(draft.at)} were kept in this browser
            {draft.base === model.head.number ? '.' : ` (based on version ${draft.base}; the model has changed since).`}
          </span>
          <span className={styles.bannerActions}>
            {draft.base === model.head.number ? (
              <button
                type="button"
                className="btn btn-small btn-primary"
                onClick={() => {
                  store.dispatch({ type: 'edit', action: { type: 'replaceDocument', doc: draft.doc } });
                  setDraft(null);
                }}
              >
                Restore them
              </button>
            ) : (
              <button
                type="button"
                className="btn btn-small btn-primary"
                onClick={async () => {
                  const id = await autosave.saveAsCopy(draft.doc);
                  if (id) router.push(`/models/${id}/edit`);
                }}
              >
                Save them as a copy
              </button>
            )}
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                clearDraft(model.id);
                setDraft(null);
              }}
            >
              Discard
            </button>
          </span>
        </div>
      )}
      {viewing && (
        <div className={`alert alert-warn ${styles.banner}`} role="status" data-testid="viewing-banner">
          <span>
            Viewing <strong>version {viewing.version.number}</strong> ({viewing.version.author}, {formatTime(viewing.version.createdAt)}) — read-only.
          </span>
          <span className={styles.bannerActions}>
            <button type="button" className="btn btn-small btn-primary" onClick={restore}>
              Restore as a new version
            </button>
            <button type="button" className="btn btn-small" onClick={() => setViewing(null)}>
              Back to editing
            </button>
          </span>
        </div>
      )}
      <RefusalProvider>
        {viewing ? (
          <EditorProvider key={viewing.version.number} store={viewing.store} readOnly>
            <Workbench history={null} />
          </EditorProvider>
        ) : (
          <EditorProvider store={store}>
            <Workbench history={<HistoryPanel modelId={model.id} versions={versions} current={autosave.base} onOpen={(n) => void open(n)} />} />
          </EditorProvider>
        )}
      </RefusalProvider>
    </div>
  );
}

function EditorHeader({ modelId, status, base, onSave }: { modelId: string; status: SaveStatus; base: number; onSave: () => void }) {
  const name = useEditor((s) => s.doc.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const store = useStore();
  const [author, setAuthor] = useState('');
  useEffect(() => setAuthor(localStorage.getItem('lockstep.author') ?? ''), []);
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
        <label className={styles.author}>
          <span>You</span>
          <input
            className="input"
            value={author}
            placeholder="anonymous"
            maxLength={100}
            aria-label="Your name (recorded in versions)"
            onChange={(e) => {
              setAuthor(e.target.value);
              localStorage.setItem('lockstep.author', e.target.value.trim());
            }}
          />
        </label>
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

function ConflictBanner({ head, base, onReload, onCopy }: { head: VersionRecord; base: number; onReload: () => void; onCopy: () => void }) {
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

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) everywhere but inside the JSON editor, which has its own history. */
function useUndoShortcuts(store: EditorStore | null) {
  const ref = useRef(store);
  ref.current = store;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = ref.current;
      if (!s || !(e.ctrlKey || e.metaKey)) return;
      if ((e.target as HTMLElement | null)?.closest?.('.cm-editor')) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        s.dispatch({ type: 'undo' });
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        s.dispatch({ type: 'redo' });
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
