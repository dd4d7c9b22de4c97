'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { VersionRecord } from '@/lib/transport/models';
import type { EditorStore } from '@/lib/editor/store';
import type { ConflictReply, Draft, HeadSummary, InvalidMergeReply, Resolution } from '@/lib/transport/drafts';
import { callApi, type ApiIssue } from '@/components/ui/api-client';

/** What the server holds of the editor's work. */
export type DraftStatus =
  | { kind: 'clean' } // the document is the version it is based on: no draft
  | { kind: 'pending' } // edited; the draft is written in a moment
  | { kind: 'writing' }
  | { kind: 'saved'; at: string } // the server's draft holds the document
  | { kind: 'error'; message: string };

/** What "Save version" came to. */
export type SaveOutcome =
  | { kind: 'saved'; version: VersionRecord; mergedWith: HeadSummary | null }
  | { kind: 'conflict'; reply: ConflictReply & { head: VersionRecord } }
  | { kind: 'invalid'; reply: InvalidMergeReply & { head: VersionRecord } }
  | { kind: 'error'; message: string; issues: ApiIssue[] };

/** Quiet time after an edit before the draft is written. */
export const DRAFT_WRITE_MS = 800;

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Autosaves the editor's document to the user's server-side draft (never to
 * the version history), debounced; "Save version" turns it into the next
 * version, merged by the server when someone saved since (lib/server/save-version.ts).
 * Writes are queued one after another, so an older draft never lands after a newer one.
 */
export function useDraft(store: EditorStore, modelId: string, initial: { head: VersionRecord; draft: Draft | null }, onSaved: (v: VersionRecord) => void) {
  const startBase = initial.draft?.baseVersion ?? initial.head.number;
  const [status, setStatus] = useState<DraftStatus>(initial.draft ? { kind: 'saved', at: initial.draft.updatedAt } : { kind: 'clean' });
  const [base, setBase] = useState(startBase);
  const baseRef = useRef(startBase);
  /** The base version's document when known: editing back to it removes the draft. */
  const baseDoc = useRef<ModelDocument | null>(startBase === initial.head.number ? initial.head.document : null);
  /** The document the server's draft holds (or the base's, when there is none). */
  const written = useRef<ModelDocument>(store.getState().doc);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const rebase = useCallback((number: number, doc: ModelDocument | null) => {
    baseRef.current = number;
    baseDoc.current = doc;
    setBase(number);
  }, []);

  const enqueue = useCallback(<T,>(job: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(job, job);
    queue.current = next.then(() => {}, () => {});
    return next;
  }, []);

  const writeDraft = useCallback(
    () =>
      enqueue(async () => {
        const doc = store.getState().doc;
        if (doc === written.current) return true;
        if (baseDoc.current && sameJson(doc, baseDoc.current)) {
          // Back to the version itself (undo, or an edit and its reverse): no draft to keep.
          setStatus({ kind: 'writing' });
          const removed = await callApi(`/api/models/${modelId}/draft`, { method: 'DELETE' });
          if (!removed.ok) {
            setStatus({ kind: 'error', message: removed.failure.error });
            return false;
          }
          written.current = doc;
          setStatus(store.getState().doc === doc ? { kind: 'clean' } : { kind: 'pending' });
          return true;
        }
        setStatus({ kind: 'writing' });
        const put = await callApi<{ draft: Draft }>(`/api/models/${modelId}/draft`, {
          method: 'PUT',
          body: JSON.stringify({ baseVersion: baseRef.current, document: doc }),
        });
        if (!put.ok) {
          setStatus({ kind: 'error', message: put.failure.issues[0]?.message ?? put.failure.error });
          return false;
        }
        written.current = doc;
        setStatus(store.getState().doc === doc ? { kind: 'saved', at: put.data.draft.updatedAt } : { kind: 'pending' });
        return true;
      }),
    [enqueue, store, modelId],
  );

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void writeDraft().then((ok) => {
        // Edits made while the write was in flight: write them too (a failure waits for Retry or the next edit).
        if (ok && store.getState().doc !== written.current && !timer.current) schedule();
      });
    }, DRAFT_WRITE_MS);
  }, [writeDraft, store]);

  useEffect(() => {
    let last = store.getState().doc;
    const off = store.subscribe(() => {
      const doc = store.getState().doc;
      if (doc === last) return;
      last = doc;
      if (doc === written.current) return;
      // One render per burst of edits (a drag moves a state many times a second), not one per edit.
      setStatus((s) => (s.kind === 'pending' ? s : { kind: 'pending' }));
      schedule();
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store, schedule]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (store.getState().doc !== written.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);

  /** Writes the draft now (Retry, or before leaving). */
  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    return writeDraft();
  }, [writeDraft]);

  /**
   * Saves the document as the next version. `answer` carries the resolutions
   * of an earlier conflict and the head they were made against.
   */
  const saveVersion = useCallback(
    async (message: string, answer?: { resolutions: Record<string, Resolution>; headVersion: number }): Promise<SaveOutcome> => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      await queue.current; // a draft write in flight lands first
      const doc = store.getState().doc;
      const result = await callApi<{ version: VersionRecord; merged: boolean; mergedWith?: HeadSummary }>(`/api/models/${modelId}/versions`, {
        method: 'POST',
        body: JSON.stringify({ baseVersion: baseRef.current, document: doc, message: message.trim() || undefined, ...(answer ?? {}) }),
      });
      if (!result.ok) {
        const body = result.failure.body;
        if (result.failure.status === 409 && Array.isArray(body.conflicts) && body.conflicts.length > 0) {
          return { kind: 'conflict', reply: body as unknown as ConflictReply & { head: VersionRecord } };
        }
        if (result.failure.status === 422 && body.merged) return { kind: 'invalid', reply: body as unknown as InvalidMergeReply & { head: VersionRecord } };
        if (timer.current === null && store.getState().doc !== written.current) schedule();
        return { kind: 'error', message: result.failure.error, issues: result.failure.issues };
      }
      const { version, mergedWith } = result.data;
      // The server removed the draft if it held `doc`; a draft it had not caught up with goes too.
      await enqueue(() => callApi(`/api/models/${modelId}/draft`, { method: 'DELETE' }));
      if (sameJson(version.document, doc)) {
        rebase(version.number, doc);
        written.current = doc;
      } else {
        rebase(version.number, version.document);
        written.current = version.document;
        store.dispatch({ type: 'load', doc: version.document });
      }
      setStatus(store.getState().doc === written.current ? { kind: 'clean' } : { kind: 'pending' });
      if (store.getState().doc !== written.current) schedule();
      onSavedRef.current(version);
      return { kind: 'saved', version, mergedWith: mergedWith ?? null };
    },
    [store, modelId, enqueue, rebase, schedule],
  );

  /**
   * Continues editing on top of `head`: the draft becomes `doc` (a merge the
   * user will fix), based on head. Undo can still go back.
   */
  const adopt = useCallback(
    (head: VersionRecord, doc: ModelDocument) => {
      rebase(head.number, head.document);
      store.dispatch({ type: 'edit', action: { type: 'replaceDocument', doc } });
      void flush();
    },
    [rebase, store, flush],
  );

  /** Drops the draft and loads the latest version. */
  const discard = useCallback(async (): Promise<string | null> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    await queue.current;
    const removed = await enqueue(async () => {
      const r = await callApi(`/api/models/${modelId}/draft`, { method: 'DELETE' });
      if (!r.ok) throw new Error(r.failure.error);
    }).then(() => null, (e: Error) => e.message);
    if (removed) return removed;
    const result = await callApi<{ model: { head: VersionRecord } }>(`/api/models/${modelId}`);
    if (!result.ok) return result.failure.error;
    const head = result.data.model.head;
    rebase(head.number, head.document);
    written.current = head.document;
    store.dispatch({ type: 'load', doc: head.document });
    setStatus({ kind: 'clean' });
    onSavedRef.current(head);
    return null;
  }, [enqueue, modelId, rebase, store]);

  return { status, base, flush, saveVersion, adopt, discard };
}
