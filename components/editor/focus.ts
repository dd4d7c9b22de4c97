'use client';

import { useCallback, useEffect } from 'react';
import { locate } from '@/lib/editor/locate';
import { formatSegments, parsePath } from '@/lib/editor/path';
import { useEditor, useStore } from './context';

/** Opens the part of the editor a document path lives in and asks for the element there to be focused. */
export function useFocusPath(): (path: string) => void {
  const store = useStore();
  return useCallback(
    (path: string) => {
      const target = locate(store.getState().doc, path);
      store.dispatch({ type: 'view', view: { ...target.view, focus: { path, nonce: Date.now() } } });
      if (target.selection !== undefined) store.dispatch({ type: 'select', selection: target.selection });
    },
    [store],
  );
}

/** The element for a path, or for the nearest enclosing path that has one. */
export function elementForPath(root: ParentNode, path: string): HTMLElement | null {
  const segments = parsePath(path);
  for (let n = segments.length; n > 0; n--) {
    const p = formatSegments(segments.slice(0, n));
    const el = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) return el;
  }
  return null;
}

/** Runs focus requests once the requested part of the editor has rendered. */
export function useFocusEffect(root: React.RefObject<HTMLElement | null>) {
  const focus = useEditor((s) => s.view.focus);
  useEffect(() => {
    if (!focus) return;
    let tries = 0;
    const attempt = () => {
      const el = root.current ? elementForPath(root.current, focus.path) : null;
      if (!el) {
        if (tries++ < 10) requestAnimationFrame(attempt);
        return;
      }
      el.scrollIntoView({ block: 'center', behavior: 'auto' });
      const focusable = el.matches('input,select,textarea,button,[tabindex]') ? el : el.querySelector<HTMLElement>('input,select,textarea,button,[tabindex]');
      (focusable ?? el).focus({ preventScroll: true });
      el.classList.add('flash-focus');
      setTimeout(() => el.classList.remove('flash-focus'), 1200);
    };
    requestAnimationFrame(attempt);
  }, [focus, root]);
}
