'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { validateModel, type ModelDocument } from '@/lib/model';
import type { VersionRecord } from '@/lib/db/models';
import type { EditorStore } from '@/lib/editor/store';
import { diffModels, summarizeDiff } from '@/lib/editor/diff';
import { callApi } from '@/components/ui/api-client';
import { clearDraft, writeDraft } from './drafts';

export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'invalid'; count: number }
  | { kind: 'conflict'; head: VersionRecord }
  | { kind: 'error'; message: string };

export const AUTOSAVE_MS = 1000;

/**
 * Saves the document as a new version shortly after each change, based on the
 * version it was loaded from. A 409 stops autosave and reports the newer head:
 * nothing is ever overwritten.
 */
export function useAutosave(store: EditorStore, modelId: string, initial: VersionRecord, onSaved: (v: VersionRecord) => void, workspaceId: string | null = null) {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'saved' });
  const [base, setBase] = useState(initial.number);
  const baseRef = useRef(initial.number);
  const saved = useRef<ModelDocument>(store.getState().doc);
  const inFlight = useRef(false);
  const conflict = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const nextMessage = useRef<string | null>(null);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const save = useCallback(async () => {
    if (inFlight.current || conflict.current) return;
    const doc = store.getState().doc;
    if (doc === saved.current || JSON.stringify(doc) === JSON.stringify(saved.current)) {
      // Back to what is saved (undo, or an edit and its reverse): nothing to write.
      saved.current = doc;
      clearDraft(modelId);
      setStatus({ kind: 'saved' });
      return;
    }
    const valid = validateModel(doc);
    if (!valid.ok) {
      setStatus({ kind: 'invalid', count: valid.issues.length });
      return;
    }
    inFlight.current = true;
    setStatus({ kind: 'saving' });
    const changes = diffModels(saved.current, doc);
    const quiet = JSON.stringify(saved.current.layout ?? {}) !== JSON.stringify(doc.layout ?? {}) ? 'Moved states on the canvas' : 'Edited descriptions';
    const message = (nextMessage.current ?? (changes.length ? summarizeDiff(changes) : quiet)).slice(0, 2000);
    nextMessage.current = null;
    const result = await callApi<{ version: VersionRecord }>(`/api/models/${modelId}/versions`, {
      method: 'POST',
      body: JSON.stringify({ baseVersion: baseRef.current, document: doc, message }),
    });
    inFlight.current = false;
    if (result.ok) {
      saved.current = doc;
      baseRef.current = result.data.version.number;
      setBase(result.data.version.number);
      onSavedRef.current(result.data.version);
      if (store.getState().doc !== doc) schedule();
      else {
        clearDraft(modelId);
        setStatus({ kind: 'saved' });
      }
    } else if (result.failure.status === 409) {
      conflict.current = true;
      setStatus({ kind: 'conflict', head: result.failure.body.head as VersionRecord });
    } else {
      setStatus({ kind: 'error', message: result.failure.issues[0]?.message ?? result.failure.error });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, modelId]);

  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  }, [save]);

  useEffect(() => {
    let last = store.getState().doc;
    const off = store.subscribe(() => {
      const doc = store.getState().doc;
      if (doc === last) return;
      last = doc;
      if (doc !== saved.current) writeDraft(modelId, { base: baseRef.current, doc, at: new Date().toISOString() });
      else clearDraft(modelId);
      if (conflict.current) return;
      setStatus(doc === saved.current ? { kind: 'saved' } : { kind: 'dirty' });
      if (doc !== saved.current) schedule();
    });
    return () => {
      off();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store, schedule, modelId]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (store.getState().doc !== saved.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);

  /** Saves now with this message (restore). */
  const saveNow = useCallback(
    (message?: string) => {
      if (message) nextMessage.current = message;
      if (timer.current) clearTimeout(timer.current);
      void save();
    },
    [save],
  );

  /** Loads the latest version from the server, dropping local changes. */
  const reload = useCallback(async () => {
    const result = await callApi<{ model: { head: VersionRecord } }>(`/api/models/${modelId}`);
    if (!result.ok) {
      setStatus({ kind: 'error', message: result.failure.error });
      return;
    }
    const head = result.data.model.head;
    saved.current = head.document;
    baseRef.current = head.number;
    setBase(head.number);
    conflict.current = false;
    clearDraft(modelId);
    store.dispatch({ type: 'load', doc: head.document });
    setStatus({ kind: 'saved' });
    onSavedRef.current(head);
  }, [modelId, store]);

  /** Saves the local document as a new model; returns its id. */
  const saveAsCopy = useCallback(async (from?: ModelDocument): Promise<string | null> => {
    const doc = from ?? store.getState().doc;
    const result = await callApi<{ model: { id: string } }>('/api/models', {
      method: 'POST',
      // The copy stays in the original's workspace (the server falls back to the first writable one).
      body: JSON.stringify({ document: { ...doc, name: `${doc.name} (copy)`.slice(0, 200) }, ...(workspaceId ? { workspaceId } : {}), message: `Copy of ${doc.name} v${baseRef.current} with unsaved edits` }),
    });
    if (result.ok) {
      clearDraft(modelId);
      return result.data.model.id;
    }
    setStatus({ kind: 'error', message: result.failure.issues[0]?.message ?? result.failure.error });
    return null;
  }, [store, modelId, workspaceId]);

  return { status, base, saveNow, reload, saveAsCopy };
}
