'use client';

import { useCallback, useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ModelWithHead, VersionRecord, VersionSummary } from '@/lib/db/models';
import { createEditorStore, type EditorStore, type Tab } from '@/lib/editor/store';
import { callApi } from '@/components/ui/api-client';
import { formatTime } from '@/components/ui/format';
import { EditorProvider } from './context';
import { RefusalProvider } from './refusal';
import { TABS, Workbench } from './Workbench';
import { HistoryPanel, fetchVersion } from './HistoryPanel';
import { useAutosave } from './useAutosave';
import { ConflictBanner, EditorHeader } from './EditorHeader';
import { useUndoShortcuts } from './useUndoShortcuts';
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
  const autosave = useAutosave(store, model.id, model.head, () => void refreshVersions(), model.workspaceId);

  useUndoShortcuts(viewing ? null : store);

  // A link may open a tab: /models/:id/edit#operations.
  useEffect(() => {
    const fromHash = window.location.hash.slice(1) as Tab;
    if (TABS.some((t) => t.tab === fromHash)) store.dispatch({ type: 'view', view: { tab: fromHash } });
  }, [store]);

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
    const view = viewing.store.getState().view;
    store.dispatch({ type: 'view', view: { ...view, focus: null } });
    window.history.replaceState(null, '', `#${view.tab}`);
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
