'use client';

/** "Duplicate" beside an item's name in the editor's forms: copies the item and opens the copy. */
export function DuplicateButton({ testId, title, onDuplicate }: { testId: string; title: string; onDuplicate: () => void }) {
  return (
    <button type="button" className="btn btn-small" style={{ alignSelf: 'flex-end', marginBottom: 4 }} data-testid={testId} title={title} onClick={onDuplicate}>
      Duplicate
    </button>
  );
}
