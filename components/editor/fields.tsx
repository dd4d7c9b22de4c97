'use client';

import { useId, useRef, useState, type ReactNode } from 'react';
import { insertAt } from '@/lib/editor/vocabulary';
import { getIn } from '@/lib/editor/path';
import { useDoc, useEdit, useProblemsAt, useReadOnly, type Problem } from './context';
import styles from './forms.module.css';

interface Base {
  path: string;
  label: string;
  /** Remove the key when the field is emptied. */
  optional?: boolean;
  hint?: string;
  className?: string;
}

/** What every field reads: an id for its label, the value at its path, how to edit it, and its problems. */
function useField(path: string) {
  const id = useId();
  const raw = getIn(useDoc(), path);
  const edit = useEdit();
  const readOnly = useReadOnly();
  const problems = useProblemsAt(path);
  return { id, raw, edit, readOnly, problems };
}

/** A labelled control with its hint and problems under it. */
function FieldShell({ id, label, className, hint, problems, children }: { id: string; label: string; className?: string; hint?: string; problems: Problem[]; children: ReactNode }) {
  return (
    <div className={`${styles.field} ${className ?? ''}`}>
      <label className={styles.label} htmlFor={id}>
        {label}
      </label>
      {children}
      {hint && <div className={styles.hint}>{hint}</div>}
      <FieldProblems problems={problems} />
    </div>
  );
}

export function FieldProblems({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className={styles.fieldProblems} data-testid="field-problem">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

export function TextField({ path, label, optional, hint, className, placeholder, mono, list }: Base & { placeholder?: string; mono?: boolean; list?: string }) {
  const { id, raw, edit, readOnly, problems } = useField(path);
  const value = raw as string | undefined;
  return (
    <FieldShell id={id} label={label} className={className} hint={hint} problems={problems}>
      <input
        id={id}
        className={`input ${mono ? styles.mono : ''} ${problems.length ? styles.invalid : ''}`}
        value={value ?? ''}
        placeholder={placeholder}
        readOnly={readOnly}
        list={list}
        data-path={path}
        aria-invalid={problems.length > 0}
        onChange={(e) => edit({ type: 'set', path, value: optional && e.target.value === '' ? undefined : e.target.value })}
      />
    </FieldShell>
  );
}

/**
 * An expression: monospaced, with parse and type errors under it, the column
 * marked; while focused, what it can name (from the model) one click away.
 */
/**
 * Whether a mouse button (or finger) is down. A field's Insert strip then stays until it is
 * released: folding it on mouse-down moved what was below it, and the click landed elsewhere.
 */
let pointerDown = false;
if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', () => void (pointerDown = true), true);
  window.addEventListener('pointerup', () => void (pointerDown = false), true);
}

/** Calls `fold` now, or once the pointer is released and its click has landed. */
function foldAfterClick(fold: () => void) {
  if (!pointerDown) return fold();
  window.addEventListener('pointerup', () => setTimeout(fold, 0), { once: true });
}

export function ExprField({ path, label, optional, hint, className, list, vocabulary, onSet }: Base & { list?: string; vocabulary?: string[]; onSet?: (value: string | undefined) => void }) {
  const { id, raw, edit: editField, readOnly, problems } = useField(path);
  /** `onSet` lets a form change more than this field (a write's value follows its target). */
  const edit = (action: { type: 'set'; path: string; value: string | undefined }) => (onSet ? onSet(action.value) : editField(action));
  const value = (raw as string | undefined) ?? '';
  const column = problems.find((p) => p.column !== undefined)?.column;
  const input = useRef<HTMLInputElement>(null);
  const [focused, setFocused] = useState(false);
  const insert = (token: string) => {
    const el = input.current;
    const next = insertAt(value, el?.selectionStart ?? value.length, token);
    edit({ type: 'set', path, value: next.value });
    requestAnimationFrame(() => el?.setSelectionRange(next.caret, next.caret));
  };
  return (
    <FieldShell id={id} label={label} className={className ?? styles.exprField} hint={hint} problems={problems}>
      <input
        id={id}
        className={`input ${styles.mono} ${problems.length ? styles.invalid : ''}`}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        list={list}
        data-path={path}
        data-testid="expr-input"
        aria-invalid={problems.length > 0}
        ref={input}
        onFocus={() => setFocused(true)}
        onBlur={() => foldAfterClick(() => setFocused(document.activeElement === input.current))}
        onChange={(e) => edit({ type: 'set', path, value: optional && e.target.value === '' ? undefined : e.target.value })}
      />
      {column !== undefined && (
        <pre className={styles.caret} aria-hidden>
          {' '.repeat(Math.max(0, column - 1))}^
        </pre>
      )}
      {focused && !readOnly && vocabulary && vocabulary.length > 0 && (
        <div className={styles.vocab} aria-label="Insert">
          {vocabulary.slice(0, 16).map((token) => (
            <button key={token} type="button" tabIndex={-1} className={styles.vocabItem} onMouseDown={(e) => e.preventDefault()} onClick={() => insert(token)}>
              {token}
            </button>
          ))}
        </div>
      )}
    </FieldShell>
  );
}

export function SelectField({
  path,
  label,
  options,
  optional,
  emptyLabel,
  className,
  parse,
}: Base & { options: Array<string | { value: string; label: string }>; emptyLabel?: string; parse?: (v: string) => unknown }) {
  const { id, raw, edit, readOnly, problems } = useField(path);
  const value = raw === undefined ? '' : String(raw);
  const opts = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  const known = value === '' || opts.some((o) => o.value === value);
  return (
    <FieldShell id={id} label={label} className={className} problems={problems}>
      <select
        id={id}
        className={`input ${problems.length ? styles.invalid : ''}`}
        value={value}
        disabled={readOnly}
        data-path={path}
        aria-invalid={problems.length > 0}
        onChange={(e) => edit({ type: 'set', path, value: e.target.value === '' ? undefined : parse ? parse(e.target.value) : e.target.value })}
      >
        {(optional || value === '') && <option value="">{emptyLabel ?? '—'}</option>}
        {!known && <option value={value}>{value} (unknown)</option>}
        {opts.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckField({ path, label, className, hint }: Base) {
  const value = getIn(useDoc(), path) === true;
  const edit = useEdit();
  const readOnly = useReadOnly();
  return (
    <label className={`${styles.check} ${className ?? ''}`} title={hint}>
      <input type="checkbox" checked={value} disabled={readOnly} data-path={path} onChange={(e) => edit({ type: 'set', path, value: e.target.checked ? true : undefined })} />
      {label}
    </label>
  );
}

export function NumberField({ path, label, min, max, optional, className, placeholder }: Base & { min?: number; max?: number; placeholder?: string }) {
  const { id, raw, edit, readOnly, problems } = useField(path);
  return (
    <FieldShell id={id} label={label} className={className} problems={problems}>
      <input
        id={id}
        type="number"
        className={`input ${problems.length ? styles.invalid : ''}`}
        value={raw === undefined ? '' : String(raw)}
        min={min}
        max={max}
        placeholder={placeholder}
        readOnly={readOnly}
        data-path={path}
        onChange={(e) => edit({ type: 'set', path, value: e.target.value === '' && optional ? undefined : Number(e.target.value) })}
      />
    </FieldShell>
  );
}

/** Problems at paths under `prefix` that no field shows (e.g. `…args`, `…kind`). */
export function OtherProblems({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className={styles.fieldProblems} data-testid="field-problem">
      {problems.map((p, i) => (
        <li key={i}>
          <code>{p.path}</code> {p.message}
        </li>
      ))}
    </ul>
  );
}
