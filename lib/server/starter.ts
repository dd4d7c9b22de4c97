import type { ModelDocument } from '@/lib/model';

/** The document a model created from just a name starts with: one resource with one state. */
export function starterDocument(name: string, description?: string): unknown {
  const doc: Record<string, unknown> = {
    name,
    resources: [
      {
        name: 'Resource',
        states: [{ name: 'available', kind: 'stable' }],
        initial: 'available',
        transitions: [],
      },
    ],
  };
  if (description?.trim()) doc.description = description.trim();
  return doc satisfies Partial<ModelDocument> | Record<string, unknown>;
}
