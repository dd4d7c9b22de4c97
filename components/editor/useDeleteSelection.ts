'use client';

import { useCallback } from 'react';
import { newProblems, stateReferences } from '@/lib/editor/references';
import type { EditAction } from '@/lib/editor/actions';
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
      refuse({ scope: 'state', title: `Cannot delete state '${selection.name}': it is still used`, references: refs });
      return;
    }
    refuse(null);
    edit({ type: 'deleteState', resource: selection.resource, state: selection.name });
  }, [store, edit, refuse]);
}

/** Applies a deletion unless it would break something; then explains what uses it. */
export function useGuardedDelete(): (action: EditAction, scope: string, what: string) => boolean {
  const store = useStore();
  const edit = useEdit();
  const refuse = useRefusal();
  return useCallback(
    (action: EditAction, scope: string, what: string) => {
      const refs = newProblems(store.getState().doc, action);
      if (refs.length > 0) {
        refuse({ scope, title: `Cannot delete ${what}: it is still used`, references: refs });
        return false;
      }
      refuse(null);
      edit(action);
      return true;
    },
    [store, edit, refuse],
  );
}
