'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { VersionRecord } from '@/lib/transport/models';
import { callApi, type ApiFailure } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';
import styles from './model-page.module.css';

type Outcome = { kind: 'saved'; number: number; mergedWith: { number: number; author: string } | null } | { kind: 'conflict'; head: VersionRecord } | { kind: 'error'; failure: ApiFailure };

/**
 * Edits the model's name and description and saves them as a new version
 * based on the version this page loaded. If someone saved in between, the
 * server merges (different fields both land) or, when both changed the same
 * field, refuses (409) and nothing is overwritten.
 */
export function DetailsForm({ modelId, head }: { modelId: string; head: VersionRecord }) {
  const router = useRouter();
  const [name, setName] = useState(head.document.name);
  const [description, setDescription] = useState(head.document.description ?? '');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // A newer head (after our save and the refresh) resets the fields; the outcome stays on screen.
  const [loadedHead, setLoadedHead] = useState(head.number);
  if (head.number !== loadedHead) {
    setLoadedHead(head.number);
    setName(head.document.name);
    setDescription(head.document.description ?? '');
    setMessage('');
  }

  const dirty = name !== head.document.name || description !== (head.document.description ?? '');

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    const document = { ...head.document, name: name.trim() };
    if (description.trim()) document.description = description.trim();
    else delete document.description;
    const result = await callApi<{ version: VersionRecord; mergedWith?: { number: number; author: string } }>(`/api/models/${modelId}/versions`, {
      method: 'POST',
      body: JSON.stringify({ baseVersion: head.number, document, message: message.trim() || undefined }),
    });
    setBusy(false);
    if (result.ok) {
      setOutcome({ kind: 'saved', number: result.data.version.number, mergedWith: result.data.mergedWith ?? null });
      router.refresh();
    } else if (result.failure.status === 409) {
      setOutcome({ kind: 'conflict', head: result.failure.body.head as VersionRecord });
    } else {
      setOutcome({ kind: 'error', failure: result.failure });
    }
  }

  return (
    <form className={`card ${styles.section}`} onSubmit={save} aria-label="Edit details">
      <h2>Edit details</h2>
      <p className="muted">Saving creates version {head.number + 1}, based on version {head.number}, under your name.</p>
      <label className="label" htmlFor="model-name-input">
        Name
      </label>
      <input id="model-name-input" className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <label className="label" htmlFor="description-input">
        Description
      </label>
      <textarea id="description-input" className="textarea" value={description} maxLength={10_000} onChange={(e) => setDescription(e.target.value)} />
      <label className="label" htmlFor="message-input">
        What changed
      </label>
      <input id="message-input" className="input" value={message} maxLength={2000} placeholder="optional message for the history" onChange={(e) => setMessage(e.target.value)} />

      {outcome?.kind === 'conflict' && (
        <div className="alert alert-warn" role="alert" data-testid="save-conflict">
          <h3>Not saved: this model changed since you opened it</h3>
          Version {outcome.head.number} was saved by {outcome.head.author}
          {outcome.head.message ? ` (“${outcome.head.message}”)` : ''}. Your edit was based on version {head.number}, so
          it was not applied and nothing was overwritten. Reload to see the latest version, then make your change again.
          <div style={{ marginTop: 10 }}>
            <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
              Reload latest version
            </button>
          </div>
        </div>
      )}
      {outcome?.kind === 'error' && <IssueList title={outcome.failure.error} issues={outcome.failure.issues} />}
      {outcome?.kind === 'saved' && (
        <div className="alert alert-ok" role="status">
          Saved as version {outcome.number}.
          {outcome.mergedWith ? ` Merged with version ${outcome.mergedWith.number} by ${outcome.mergedWith.author}, saved meanwhile.` : ''}
        </div>
      )}

      <div className={styles.formActions}>
        <button className="btn btn-primary" type="submit" disabled={busy || !dirty || name.trim() === ''}>
          {busy ? 'Saving…' : 'Save new version'}
        </button>
      </div>
    </form>
  );
}
