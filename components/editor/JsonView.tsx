'use client';

import { useEffect, useRef, useState } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { json } from '@codemirror/lang-json';
import { jsonErrorOffset } from '@/lib/editor/json-error';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { jsonPositions, spanFor } from '@/lib/editor/json-positions';
import { computeProblems } from './context';
import { modelSchema, formatPath, type ModelDocument } from '@/lib/model';
import { useDoc, useEdit, useReadOnly } from './context';
import styles from './editor.module.css';

type Status = { kind: 'synced' } | { kind: 'pending' } | { kind: 'syntax'; message: string } | { kind: 'structure'; issues: string[] };

const text = (doc: ModelDocument) => JSON.stringify(doc, null, 2);

/** The whole document as JSON in CodeMirror: edits apply to the visual editor once they parse and have the right shape. */
export function JsonView() {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const applied = useRef<ModelDocument | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'synced' });
  const apply = useRef<(source: string) => void>(() => {});

  apply.current = (source: string) => {
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (e) {
      setStatus({ kind: 'syntax', message: (e as Error).message });
      return;
    }
    const parsed = modelSchema.safeParse(value);
    if (!parsed.success) {
      setStatus({ kind: 'structure', issues: parsed.error.issues.slice(0, 8).map((i) => `${formatPath(i.path) || '(document)'}: ${i.message}`) });
      return;
    }
    applied.current = parsed.data;
    edit({ type: 'replaceDocument', doc: parsed.data });
    setStatus({ kind: 'synced' });
  };

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text(doc),
        extensions: [
          basicSetup,
          json(),
          EditorView.lineWrapping,
          lintGutter(),
          linter(jsonDiagnostics, { delay: 500 }),
          EditorState.readOnly.of(readOnly),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || !u.transactions.some((t) => t.isUserEvent('input') || t.isUserEvent('delete') || t.isUserEvent('undo') || t.isUserEvent('redo') || t.isUserEvent('move'))) return;
            setStatus({ kind: 'pending' });
            if (timer.current) clearTimeout(timer.current);
            timer.current = setTimeout(() => apply.current(u.state.doc.toString()), 400);
          }),
          EditorView.theme({ '&': { height: '100%', fontSize: '12.5px' }, '.cm-scroller': { fontFamily: 'var(--mono)' } }),
        ],
      }),
    });
    view.current = v;
    return () => {
      if (timer.current) clearTimeout(timer.current);
      v.destroy();
      view.current = null;
    };
    // The view is created once; later documents are pushed in by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly]);

  // A change made elsewhere (visual editor, undo) replaces the text, unless it is the one this view just applied.
  useEffect(() => {
    const v = view.current;
    if (!v || doc === applied.current) return;
    const next = text(doc);
    if (v.state.doc.toString() === next) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: next } });
    setStatus({ kind: 'synced' });
  }, [doc]);

  return (
    <div className={styles.jsonView}>
      <div className={styles.jsonStatus} data-testid="json-status" data-status={status.kind}>
        {status.kind === 'synced' && <span className={styles.ok}>In sync with the visual editor</span>}
        {status.kind === 'pending' && <span className="muted">Checking…</span>}
        {status.kind === 'syntax' && <span className={styles.bad}>Not applied — JSON syntax error: {status.message}</span>}
        {status.kind === 'structure' && (
          <span className={styles.bad}>
            Not applied — the document does not have the model’s shape: {status.issues.join('; ')}
          </span>
        )}
      </div>
      <div ref={host} className={styles.jsonHost} data-testid="json-editor" />
    </div>
  );
}

/** Problems of the text itself, underlined where they are: syntax, schema, names, types, lints. */
function jsonDiagnostics(view: EditorView): Diagnostic[] {
  const source = view.state.doc.toString();
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (e) {
    const message = (e as Error).message;
    const from = jsonErrorOffset(source, message);
    return [{ from, to: Math.min(from + 1, source.length), severity: 'error', message }];
  }
  const positions = jsonPositions(source);
  return computeProblems(value as ModelDocument).map((p) => {
    const span = spanFor(positions, p.path) ?? { from: 0, to: 0 };
    // Underline short values whole; for a big object, only its first line.
    const to = span.to - span.from > 200 ? source.indexOf('\n', span.from) : span.to;
    return { from: span.from, to: to > span.from ? to : span.to, severity: p.severity, message: `${p.message} (${p.code})`, source: p.path || 'document' };
  });
}
