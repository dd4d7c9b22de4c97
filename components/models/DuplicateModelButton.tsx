'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { ModelSummary, ModelWithHead } from '@/lib/transport/models';
import { duplicateModelDocument } from '@/lib/editor/duplicate';
import { callApi } from '@/components/ui/api-client';

/**
 * "Duplicate": a new model in the same workspace from this model's head
 * version, named "<name> copy" (unique there), made through the ordinary
 * create API; then opens the copy.
 */
export function DuplicateModelButton({ id, name, workspaceId, small = true }: { id: string; name: string; workspaceId: string; small?: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function duplicate() {
    setBusy(true);
    setError(null);
    const [source, siblings] = await Promise.all([
      callApi<{ model: ModelWithHead }>(`/api/models/${id}`),
      callApi<{ models: ModelSummary[] }>(`/api/models?workspace=${encodeURIComponent(workspaceId)}`),
    ]);
    if (!source.ok || !siblings.ok) {
      setBusy(false);
      return setError((!source.ok ? source.failure : !siblings.ok ? siblings.failure : null)?.error ?? 'could not read the model');
    }
    const head = source.data.model.head;
    const document = duplicateModelDocument(head.document as ModelDocument, siblings.data.models.map((m) => m.name));
    const created = await callApi<{ model: { id: string } }>('/api/models', {
      method: 'POST',
      body: JSON.stringify({ document, workspaceId, message: `Duplicated from “${name}” version ${head.number}` }),
    });
    setBusy(false);
    if (!created.ok) return setError(created.failure.error);
    router.push(`/models/${created.data.model.id}`);
  }

  return (
    <>
      <button type="button" className={`btn${small ? ' btn-small' : ''}`} onClick={duplicate} disabled={busy} data-testid="duplicate-model" title={`A new model in this workspace with the content of “${name}”`}>
        {busy ? 'Duplicating…' : 'Duplicate'}
      </button>
      {error && (
        <span role="alert" style={{ color: 'var(--danger)' }}>
          {error}
        </span>
      )}
    </>
  );
}
