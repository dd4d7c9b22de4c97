/**
 * The editor's one store: the document, its undo/redo history, what is
 * selected and which part of the editor is open. `reduce` is pure; the tiny
 * `createEditorStore` wraps it with subscribe/getState for React's
 * useSyncExternalStore.
 */
import type { ModelDocument } from '@/lib/model';
import { applyEdit, type EditAction } from './actions';

export type Tab = 'machines' | 'operations' | 'locks' | 'invariants' | 'scenarios' | 'json' | 'history';

export type Selection =
  | { kind: 'state'; resource: number; name: string }
  | { kind: 'transition'; resource: number; index: number }
  | null;

export interface EditorView {
  tab: Tab;
  resource: number;
  operation: number;
  scenario: number;
  /** The selected step's path (a click on its card): "Add step" inserts after it. */
  step: string | null;
  /** With Shift+click, the other end of a run of selected steps in the same list as `step` (null: just `step`). */
  stepTo: string | null;
  /** A request to focus the element at this document path (from the problems panel). */
  focus: { path: string; nonce: number } | null;
}

export interface EditorState {
  doc: ModelDocument;
  past: ModelDocument[];
  future: ModelDocument[];
  selection: Selection;
  view: EditorView;
  /** Key and time of the last edit, so typing into one field makes one undo step. */
  last: { key: string; at: number } | null;
}

export type EditorEvent =
  | { type: 'edit'; action: EditAction; at?: number }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'select'; selection: Selection }
  | { type: 'view'; view: Partial<EditorView> }
  /** Replaces the document and forgets the history (loading another version). */
  | { type: 'load'; doc: ModelDocument };

export const HISTORY_LIMIT = 200;
/** Consecutive edits of the same field within this many ms are one undo step. */
export const COALESCE_MS = 1200;

export function initialState(doc: ModelDocument): EditorState {
  return {
    doc,
    past: [],
    future: [],
    selection: null,
    view: { tab: 'machines', resource: 0, operation: 0, scenario: 0, step: null, stepTo: null, focus: null },
    last: null,
  };
}

function coalesceKey(action: EditAction): string | null {
  return action.type === 'set' ? `set:${action.path}` : null;
}

/** Drops a selection that no longer points at anything. */
function keepSelection(doc: ModelDocument, selection: Selection): Selection {
  if (!selection) return null;
  const res = doc.resources[selection.resource];
  if (!res) return null;
  if (selection.kind === 'state') return res.states.some((s) => s.name === selection.name) ? selection : null;
  return selection.index < res.transitions.length ? selection : null;
}

const unselectStep = (view: EditorView): EditorView => (view.step === null && view.stepTo === null ? view : { ...view, step: null, stepTo: null });

/** Edits that shift step paths (insert, remove, move…) forget the selected step rather than point it at another; field edits keep it. */
function keepStep(view: EditorView, action: EditAction): EditorView {
  return action.type === 'set' || action.type === 'placeProcess' ? view : unselectStep(view);
}

export function reduce(state: EditorState, event: EditorEvent): EditorState {
  switch (event.type) {
    case 'edit': {
      const doc = applyEdit(state.doc, event.action);
      if (doc === state.doc) return state;
      const key = coalesceKey(event.action);
      const at = event.at ?? 0;
      const merge = key !== null && state.last?.key === key && at - state.last.at < COALESCE_MS && state.past.length > 0;
      const past = merge ? state.past : [...state.past, state.doc].slice(-HISTORY_LIMIT);
      return { ...state, doc, past, future: [], selection: keepSelection(doc, state.selection), view: keepStep(state.view, event.action), last: key ? { key, at } : null };
    }
    case 'undo': {
      if (state.past.length === 0) return state;
      const doc = state.past[state.past.length - 1];
      return { ...state, doc, past: state.past.slice(0, -1), future: [state.doc, ...state.future], selection: keepSelection(doc, state.selection), view: unselectStep(state.view), last: null };
    }
    case 'redo': {
      if (state.future.length === 0) return state;
      const [doc, ...future] = state.future;
      return { ...state, doc, past: [...state.past, state.doc], future, selection: keepSelection(doc, state.selection), view: unselectStep(state.view), last: null };
    }
    case 'select':
      return { ...state, selection: event.selection };
    case 'view': {
      // Selecting one step (a click) ends a Shift+click run unless the event extends it.
      const view = { ...state.view, ...event.view };
      if ('step' in event.view && !('stepTo' in event.view)) view.stepTo = null;
      return { ...state, view };
    }
    case 'load':
      return { ...state, doc: event.doc, past: [], future: [], selection: keepSelection(event.doc, state.selection), view: unselectStep(state.view), last: null };
  }
}

export interface EditorStore {
  getState(): EditorState;
  dispatch(event: EditorEvent): void;
  subscribe(listener: () => void): () => void;
}

export function createEditorStore(doc: ModelDocument, now: () => number = () => Date.now()): EditorStore {
  let state = initialState(doc);
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event) {
      const next = reduce(state, event.type === 'edit' && event.at === undefined ? { ...event, at: now() } : event);
      if (next === state) return;
      state = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
