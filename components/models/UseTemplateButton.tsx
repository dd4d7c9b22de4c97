'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import type { MyWorkspace } from '@/lib/transport/workspaces';

/** "Use as template": copies an example into a workspace the account edits and opens the copy. */
export function UseTemplateButton({ id, name, workspaces, preferred }: { id: string; name: string; workspaces: MyWorkspace[]; preferred?: string }) {
  const router = useRouter();
  const [target, setTarget] = useState(preferred ?? workspaces[0]?.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function copy() {
    setBusy(true);
    setError(null);
    const result = await callApi<{ model: { id: string } }>(`/api/models/${id}/copy`, { method: 'POST', body: JSON.stringify({ workspaceId: target }) });
    setBusy(false);
    if (!result.ok) return setError(result.failure.error);
    router.push(`/models/${result.data.model.id}`);
  }

  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      {workspaces.length > 1 && (
        <select className="input" aria-label={`Workspace for a copy of ${name}`} value={target} onChange={(e) => setTarget(e.target.value)} style={{ width: 'auto', height: 28, padding: '0 6px' }}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="btn btn-small" onClick={copy} disabled={busy} data-testid="use-template">
        {busy ? 'Copying…' : 'Use as template'}
      </button>
      {error && <span role="alert" style={{ color: 'var(--danger)' }}>{error}</span>}
    </span>
  );
}
