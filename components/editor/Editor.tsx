'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { modelSchema, type ModelDocument } from '@/lib/model';
import type { ModelWithHead, VersionRecord, VersionSummary } from '@/lib/transport/models';
import type { ConflictReply, Draft, InvalidMergeReply, Resolution } from '@/lib/transport/drafts';
import { createEditorStore, type EditorStore, type Tab } from '@/lib/editor/store';
import { callApi, type ApiIssue } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';
import { formatTime } from '@/components/ui/format';
import { EditorProvider } from './context';
import { RefusalProvider } from './refusal';
import { TABS, Workbench } from './Workbench';
import { HistoryPanel, fetchVersion } from './HistoryPanel';
import { useDraft, type SaveOutcome } from './useAutosave';
import { EditorHeader } from './EditorHeader';
import { DraftCheckProvider } from './DraftCheck';
import { SaveVersionDialog } from './SaveVersionDialog';
import { MergeView } from './MergeView';
import { useUndoShortcuts } from './useUndoShortcuts';
import styles from './editor.module.css';

type Failure = { message: string; issues: ApiIssue[] };
type Conflict = ConflictReply & { head: VersionRecord };
type InvalidMerge = InvalidMergeReply & { head: VersionRecord };

/**
 * The model editor: one store, autosaved to the user's server-side draft;
 * "Save version" (Ctrl/Cmd+S) makes the next version, merging with versions
 * saved meanwhile (conflicts go to the merge view); version history and
 * read-only past versions.
 */
export function Editor({ model, versions: initialVersions, draft: initialDraft = null }: { model: ModelWithHead; versions: VersionSummary[]; draft?: Draft | null }) {
  // A draft someone wrote through the API may not even be model-shaped: the editor opens only what it can show.
  const [opened] = useState(() => (initialDraft && modelSchema.safeParse(initialDraft.document).success ? initialDraft : null));
  const [unopenable, setUnopenable] = useState(initialDraft && !opened ? initialDraft : null);
  const [store] = useState(() => createEditorStore((opened?.document as ModelDocument | undefined) ?? model.head.document));
  const [versions, setVersions] = useState(initialVersions);
  const [viewing, setViewing] = useState<{ version: VersionRecord; store: EditorStore } | null>(null);
  const refreshVersions = useCallback(async () => {
    const result = await callApi<{ versions: VersionSummary[] }>(`/api/models/${model.id}/versions`);
    if (result.ok) setVersions(result.data.versions);
  }, [model.id]);
  const draft = useDraft(store, model.id, { head: model.head, draft: opened }, () => void refreshVersions());
  const hasDraft = draft.status.kind !== 'clean';

  const [dialog, setDialog] = useState<{ message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [merge, setMerge] = useState<{ reply: Conflict; message: string } | null>(null);
  const [invalid, setInvalid] = useState<InvalidMerge | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The last version saved from exactly this document (no merge): the editor's Check runs of it are stored as its runs. */
  const [savedAs, setSavedAs] = useState<{ number: number; doc: ModelDocument } | null>(null);
  const staleDraft = useMemo(() => (opened && opened.baseVersion < model.head.number ? opened : null), [opened, model.head.number]);
  const [showStale, setShowStale] = useState(staleDraft !== null);

  useUndoShortcuts(viewing || merge ? null : store);

  // A link may open a tab: /models/:id/edit#operations.
  useEffect(() => {
    const fromHash = window.location.hash.slice(1) as Tab;
    if (TABS.some((t) => t.tab === fromHash)) store.dispatch({ type: 'view', view: { tab: fromHash } });
  }, [store]);

  const openDialog = useCallback(
    (message = '') => {
      setFailure(null);
      setDialog({ message });
    },
    [],
  );

  // Ctrl/Cmd+S: Save version (never the browser's "save page").
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 's') return;
      e.preventDefault();
      if (viewing || merge || dialog) return;
      if (hasDraft) openDialog();
      else setNotice(`Nothing to save: no changes since version ${draft.base}.`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewing, merge, dialog, hasDraft, openDialog, draft.base]);

  const settle = (outcome: SaveOutcome, message: string, sent: ModelDocument) => {
    switch (outcome.kind) {
      case 'saved': {
        const { version, mergedWith } = outcome;
        if (!mergedWith) setSavedAs({ number: version.number, doc: sent });
        setDialog(null);
        setMerge(null);
        setInvalid(null);
        setShowStale(false);
        setNotice(
          mergedWith
            ? `Merged with version ${mergedWith.number} by ${mergedWith.author}${mergedWith.number === version.number ? ': your changes were already in it.' : ` and saved as version ${version.number}.`}`
            : `Saved version ${version.number}.`,
        );
        return;
      }
      case 'conflict':
        setDialog(null);
        setInvalid(null);
        setMerge({ reply: outcome.reply, message });
        return;
      case 'invalid':
        setDialog(null);
        setMerge(null);
        setInvalid(outcome.reply);
        return;
      case 'error':
        setFailure({ message: outcome.message, issues: outcome.issues });
        return;
      default:
        return outcome satisfies never;
    }
  };

  const save = async (message: string, answer?: { resolutions: Record<string, Resolution>; headVersion: number }) => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    // The dialog is modal: the document sent is the one in the store now.
    const sent = store.getState().doc;
    const outcome = await draft.saveVersion(message, answer);
    setBusy(false);
    settle(outcome, message, sent);
  };

  const discard = async () => {
    if (!window.confirm(`Discard your draft? Your unsaved changes are lost and the editor shows the latest version.`)) return;
    const error = await draft.discard();
    if (error) setNotice(`Could not discard the draft: ${error}`);
    else {
      setShowStale(false);
      setUnopenable(null);
      setInvalid(null);
      setNotice('Draft discarded.');
    }
  };

  const open = async (n: number) => {
    const version = await fetchVersion(model.id, n);
    if (version) setViewing({ version, store: createEditorStore(version.document) });
  };
  // The editor's Check shows its verdicts beside the scenario list.
  const showScenarios = useCallback(() => store.dispatch({ type: 'view', view: { tab: 'scenarios' } }), [store]);
  const restore = () => {
    if (!viewing) return;
    store.dispatch({ type: 'edit', action: { type: 'replaceDocument', doc: viewing.version.document } });
    const view = viewing.store.getState().view;
    store.dispatch({ type: 'view', view: { ...view, focus: null } });
    window.history.replaceState(null, '', `#${view.tab}`);
    const number = viewing.version.number;
    setViewing(null);
    openDialog(`Restored version ${number}`);
  };

  return (
    <DraftCheckProvider store={store} modelId={model.id} base={draft.base} hasDraft={hasDraft} savedAs={savedAs} onStart={showScenarios}>
    <div className={styles.root} data-testid="editor">
      <EditorProvider store={store}>
        <EditorHeader
          modelId={model.id}
          status={draft.status}
          base={draft.base}
          hasDraft={hasDraft && !viewing && !merge}
          onSaveVersion={() => openDialog()}
          onDiscard={() => void discard()}
          onRetry={() => void draft.flush()}
        />
      </EditorProvider>
      <SaveVersionDialog
        open={dialog !== null}
        base={draft.base}
        initialMessage={dialog?.message ?? ''}
        busy={busy}
        failure={failure}
        onSave={(message) => void save(message)}
        onCancel={() => setDialog(null)}
      />
      {notice && (
        <div className={`alert alert-ok ${styles.banner}`} role="status" data-testid="save-notice">
          <span>{notice}</span>
          <button type="button" className="btn btn-small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      {showStale && staleDraft && (
        <div className={`alert alert-warn ${styles.banner}`} role="status" data-testid="draft-stale">
          <span>
            Your draft (last saved {formatTime(staleDraft.updatedAt)}) is based on <strong>version {staleDraft.baseVersion}</strong>; version {model.head.number} by{' '}
            {model.head.author} is the latest. <strong>Save version</strong> merges your changes with it.
          </span>
          <button type="button" className="btn btn-small" onClick={() => setShowStale(false)}>
            Dismiss
          </button>
        </div>
      )}
      {unopenable && (
        <div className={`alert alert-warn ${styles.banner}`} role="alert" data-testid="draft-unopenable">
          <span>
            Your draft from {formatTime(unopenable.updatedAt)} is not a model the editor can open, so the latest version is shown. Editing replaces that draft.
          </span>
          <button type="button" className="btn btn-small" onClick={() => void discard()}>
            Discard it
          </button>
        </div>
      )}
      {invalid && (
        <div data-testid="merge-invalid">
          <IssueList
            title={`Merged with version ${invalid.head.number} by ${invalid.head.author}, but the result is not a valid model: nothing was saved, your draft is kept.`}
            issues={invalid.issues}
          />
          <div className={styles.bannerActions} style={{ marginTop: 6 }}>
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => {
                draft.adopt(invalid.head, invalid.merged as ModelDocument);
                setInvalid(null);
                setShowStale(false);
                setNotice(`Your draft is now the merge with version ${invalid.head.number}: fix the problems listed, then save.`);
              }}
            >
              Fix it in the merged model
            </button>
            <button type="button" className="btn btn-small" onClick={() => setInvalid(null)}>
              Keep my draft as it is
            </button>
          </div>
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
      {merge ? (
        <MergeView
          key={merge.reply.head.number}
          conflicts={merge.reply.conflicts}
          head={merge.reply.head}
          baseVersion={merge.reply.baseVersion}
          busy={busy}
          failure={failure}
          onSave={(resolutions) => void save(merge.message, { resolutions, headVersion: merge.reply.head.number })}
          onCancel={() => {
            setFailure(null);
            setMerge(null);
          }}
        />
      ) : (
        <RefusalProvider>
          {viewing ? (
            <EditorProvider key={viewing.version.number} store={viewing.store} readOnly>
              <Workbench history={null} />
            </EditorProvider>
          ) : (
            <EditorProvider store={store}>
              <Workbench history={<HistoryPanel modelId={model.id} versions={versions} current={draft.base} onOpen={(n) => void open(n)} />} />
            </EditorProvider>
          )}
        </RefusalProvider>
      )}
    </div>
    </DraftCheckProvider>
  );
}
