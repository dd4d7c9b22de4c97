'use client';

/** One version's document, fetched once per page (versions are immutable, so the cache never goes stale). */
import { useEffect, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import { callApi } from '@/components/ui/api-client';

export type VersionDocument = { status: 'loading' } | { status: 'ready'; document: ModelDocument } | { status: 'error'; error: string };

const cache = new Map<string, Promise<VersionDocument>>();

export function loadVersionDocument(modelId: string, number: number): Promise<VersionDocument> {
  const key = `${modelId}:${number}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = callApi<{ version: { document: ModelDocument } }>(`/api/models/${encodeURIComponent(modelId)}/versions/${number}`).then((r) =>
      r.ok ? { status: 'ready' as const, document: r.data.version.document } : { status: 'error' as const, error: r.failure.error },
    );
    cache.set(key, entry);
    // A failure (network, say) is not kept: the next view asks again.
    entry.then((v) => v.status === 'error' && cache.delete(key));
  }
  return entry;
}

export function useVersionDocument(modelId: string, number: number | null): VersionDocument {
  const [state, setState] = useState<{ key: string; value: VersionDocument } | null>(null);
  const key = `${modelId}:${number}`;
  useEffect(() => {
    if (number === null) return;
    let live = true;
    loadVersionDocument(modelId, number).then((value) => live && setState({ key, value }));
    return () => {
      live = false;
    };
  }, [modelId, number, key]);
  if (number === null) return { status: 'error', error: 'no version' };
  return state?.key === key ? state.value : { status: 'loading' };
}
