'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';

const MAX_BYTES = 1024 * 1024;

/** Imports a model JSON file into `workspaceId`; a bad file is reported with the paths of its errors. */
export function ImportModelButton({ workspaceId, onError }: { workspaceId: string; onError: (node: React.ReactNode) => void }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  async function importFile(file: File) {
    onError(null);
    if (file.size > MAX_BYTES) {
      onError(<IssueList testId="import-error" title={`Could not import ${file.name}: the file is larger than 1 MB`} issues={[]} />);
      return;
    }
    setBusy(true);
    const text = await file.text();
    const result = await callApi<{ model: { id: string } }>(`/api/models/import?workspace=${encodeURIComponent(workspaceId)}`, {
      method: 'POST',
      body: text,
    });
    setBusy(false);
    if (!result.ok) {
      onError(<IssueList testId="import-error" title={`Could not import ${file.name}: ${result.failure.error}`} issues={result.failure.issues} />);
      return;
    }
    router.push(`/models/${result.data.model.id}`);
  }

  return (
    <>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
      <button type="button" className="btn" onClick={() => input.current?.click()} disabled={busy}>
        {busy ? 'Importing…' : 'Import JSON…'}
      </button>
    </>
  );
}
