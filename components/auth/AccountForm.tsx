'use client';

import { useState } from 'react';
import { issueAt, postJson, type ApiReply } from './post-json';
import styles from './auth.module.css';

export interface AccountField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: string;
  defaultValue?: string;
  readOnly?: boolean;
}

/**
 * A small form that posts its fields as JSON and, on success, loads `then`
 * (a full navigation, so the new session cookie is used at once). Errors are
 * shown beside their fields, by the path the API names.
 */
export function AccountForm({ action, fields, submit, then, testId }: { action: string; fields: AccountField[]; submit: string; then: string; testId: string }) {
  const [reply, setReply] = useState<ApiReply | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    const data = Object.fromEntries(new FormData(event.currentTarget).entries());
    for (const f of fields) if (f.readOnly) delete data[f.name];
    const result = await postJson(action, data);
    if (result.status >= 200 && result.status < 300) {
      window.location.assign(then);
      return;
    }
    setReply(result);
    setBusy(false);
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} data-testid={testId} noValidate>
      {fields.map((f) => (
        <label key={f.name} className={styles.field}>
          {f.label}
          <input
            className="input"
            name={f.name}
            type={f.type ?? 'text'}
            autoComplete={f.autoComplete}
            defaultValue={f.defaultValue}
            readOnly={f.readOnly}
            required={!f.readOnly}
          />
          {f.hint && <small>{f.hint}</small>}
          {issueAt(reply, f.name) && <span className={styles.fieldError} role="alert">{issueAt(reply, f.name)}</span>}
        </label>
      ))}
      {reply && !reply.body.issues?.length && (
        <p className={styles.error} role="alert">
          {reply.body.error ?? reply.body.message?.toString() ?? 'refused'}
        </p>
      )}
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {submit}
      </button>
    </form>
  );
}
