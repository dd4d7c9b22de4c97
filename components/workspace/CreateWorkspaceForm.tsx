'use client';

import { useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import styles from './workspace.module.css';

/** Creates a workspace the account owns and opens its models. */
export function CreateWorkspaceForm() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await callApi<{ workspace: { id: string } }>('/api/workspaces', { method: 'POST', body: JSON.stringify({ name }) });
    if (!result.ok) return setError(result.failure.issues[0]?.message ?? result.failure.error);
    window.location.assign(`/?workspace=${result.data.workspace.id}`);
  }
  return (
    <form className={`card ${styles.form}`} onSubmit={submit}>
      <label>
        New workspace
        <input className="input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="e.g. Storage team" />
      </label>
      <button className="btn btn-primary" type="submit" disabled={name.trim() === ''}>
        Create workspace
      </button>
      {error && <span className={styles.error} role="alert">{error}</span>}
    </form>
  );
}
