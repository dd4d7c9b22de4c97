'use client';

import { useEffect, useRef } from 'react';
import type { EditorStore } from '@/lib/editor/store';

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) everywhere but inside the JSON editor, which has its own history. */
export function useUndoShortcuts(store: EditorStore | null) {
  const ref = useRef(store);
  ref.current = store;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = ref.current;
      if (!s || !(e.ctrlKey || e.metaKey)) return;
      if ((e.target as HTMLElement | null)?.closest?.('.cm-editor')) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        s.dispatch({ type: 'undo' });
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        s.dispatch({ type: 'redo' });
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
