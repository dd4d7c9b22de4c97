'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';
import type { ApiFailure } from '@/components/ui/api-client';
import styles from './models.module.css';

/** Creates a model from a name (it starts with one resource) in `workspaceId` and opens it. */
export function CreateModelForm({ workspaceId }: { workspaceId: string }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    const result = await callApi<{ model: { id: string } }>('/api/models', {
      method: 'POST',
      body: JSON.stringify({ name: name.trim(), workspaceId }),
    });
    setBusy(false);
    if (!result.ok) return setFailure(result.failure);
    router.push(`/models/${result.data.model.id}`);
  }

  return (
    <form className={`card ${styles.create}`} onSubmit={submit}>
      <label className="label" htmlFor={`new-model-name-${workspaceId}`}>
        New model
      </label>
      <div className={styles.createRow}>
        <input
          id={`new-model-name-${workspaceId}`}
          className="input"
          placeholder="e.g. Share delete vs snapshot"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
        <button className="btn btn-primary" type="submit" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create model'}
        </button>
      </div>
      {failure && <IssueList title={failure.error} issues={failure.issues} />}
    </form>
  );
}
