'use client';

import { createContext, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';
import { analyzeModel, type IssueCode, type ModelDocument, type ModelIssue } from '@/lib/model';
import { lintModel, type LintCode } from '@/lib/check/lints';
import type { EditAction } from '@/lib/editor/actions';
import type { EditorState, EditorStore } from '@/lib/editor/store';

/** A problem shown in the editor: a validation issue or a lint finding. */
export interface Problem extends Omit<ModelIssue, 'code'> {
  code: IssueCode | LintCode;
  severity: 'error' | 'warning';
}

interface EditorContextValue {
  store: EditorStore;
  readOnly: boolean;
}

const EditorContext = createContext<EditorContextValue | null>(null);
const ProblemsContext = createContext<Problem[]>([]);

export function EditorProvider({ store, readOnly = false, children }: { store: EditorStore; readOnly?: boolean; children: React.ReactNode }) {
  const value = useMemo(() => ({ store, readOnly }), [store, readOnly]);
  const doc = useSyncExternalStore(store.subscribe, () => store.getState().doc, () => store.getState().doc);
  const problems = useMemo(() => computeProblems(doc), [doc]);
  return (
    <EditorContext.Provider value={value}>
      <ProblemsContext.Provider value={problems}>{children}</ProblemsContext.Provider>
    </EditorContext.Provider>
  );
}

/** Schema, name and type errors; once the model validates, the static lints (warnings mostly). */
export function computeProblems(doc: ModelDocument): Problem[] {
  const result = analyzeModel(doc);
  if (!result.ok) return result.issues.map((i) => ({ ...i, severity: 'error' as const }));
  try {
    return lintModel(result.value).map((l) => ({ path: l.path, message: l.message, code: l.code, severity: l.severity }));
  } catch {
    return [];
  }
}

function useEditorContext(): EditorContextValue {
  const ctx = useContext(EditorContext);
  if (!ctx) throw new Error('editor components need an EditorProvider');
  return ctx;
}

/** Reads part of the editor state; re-renders only when the selected value changes. */
export function useEditor<T>(select: (s: EditorState) => T): T {
  const { store } = useEditorContext();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()), () => select(store.getState()));
}

export const useDoc = () => useEditor((s) => s.doc);
export const useReadOnly = () => useEditorContext().readOnly;
export const useStore = () => useEditorContext().store;
export const useProblems = () => useContext(ProblemsContext);

/** Dispatches an edit unless the editor is read-only. */
export function useEdit(): (action: EditAction) => void {
  const { store, readOnly } = useEditorContext();
  return useCallback((action: EditAction) => {
    if (!readOnly) store.dispatch({ type: 'edit', action });
  }, [store, readOnly]);
}

/** Problems at exactly this path. */
export function useProblemsAt(path: string): Problem[] {
  const problems = useProblems();
  return useMemo(() => problems.filter((p) => p.path === path), [problems, path]);
}
