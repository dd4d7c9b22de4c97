'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { plural } from '@/components/ui/format';

/** Deletes a model after an explicit confirmation naming it. */
export function DeleteModelButton({
  id,
  name,
  versionCount,
  afterDelete = '/',
  small = true,
}: {
  id: string;
  name: string;
  versionCount: number;
  afterDelete?: string;
  small?: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    const result = await callApi<void>(`/api/models/${id}`, { method: 'DELETE' });
    setBusy(false);
    if (!result.ok && result.failure.status !== 404) return setError(result.failure.error);
    setOpen(false);
    router.push(afterDelete);
    router.refresh();
  }

  return (
    <>
      <button type="button" className={`btn btn-danger${small ? ' btn-small' : ''}`} onClick={() => { setError(null); setOpen(true); }}>
        Delete
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete “${name}”?`}
        confirmLabel={busy ? 'Deleting…' : 'Delete model'}
        busy={busy}
        onConfirm={remove}
        onCancel={() => setOpen(false)}
      >
        This permanently deletes the model and its {plural(versionCount, 'version')}. Export it first if you may need it again.
        {error && <div className="alert alert-error" style={{ marginTop: 10 }}>{error}</div>}
      </ConfirmDialog>
    </>
  );
}
