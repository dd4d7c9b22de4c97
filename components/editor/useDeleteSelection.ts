'use client';

import { useCallback } from 'react';
import { stateReferences } from '@/lib/editor/references';
import { useEdit, useStore } from './context';
import { useRefusal } from './refusal';

/** Deletes the selected state (unless something refers to it) or transition. */
export function useDeleteSelection(): () => void {
  const store = useStore();
  const edit = useEdit();
  const refuse = useRefusal();
  return useCallback(() => {
    const { selection, doc } = store.getState();
    if (!selection) return;
    if (selection.kind === 'transition') {
      edit({ type: 'deleteTransition', resource: selection.resource, index: selection.index });
      return;
    }
    const refs = stateReferences(doc, selection.resource, selection.name);
    if (refs.length > 0) {
      refuse({ title: `Cannot delete state '${selection.name}': it is still used`, references: refs });
      return;
    }
    refuse(null);
    edit({ type: 'deleteState', resource: selection.resource, state: selection.name });
  }, [store, edit, refuse]);
}
