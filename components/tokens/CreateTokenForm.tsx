'use client';

import { useState } from 'react';
import { createToken, type ApiProblem, type TokenView } from './api';
import styles from './tokens.module.css';

const EXPIRY = [
  { label: 'Never', days: undefined },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
] as const;

/** Name, scope, owner (you or a workspace you administer) and expiry of a new token. */
export function CreateTokenForm({ workspaces, onCreated }: { workspaces: { id: string; name: string }[]; onCreated: (token: TokenView, secret: string) => void }) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const issue = (path: string) => problem?.issues.find((i) => i.path === path)?.message;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const owner = String(data.get('owner') ?? '');
    const expiry = EXPIRY[Number(data.get('expiry') ?? 0)];
    setBusy(true);
    const reply = await createToken({
      name: String(data.get('name') ?? ''),
      scope: data.get('scope') === 'write' ? 'write' : 'read',
      workspaceId: owner || undefined,
      expiresInDays: expiry?.days,
    });
    setBusy(false);
    if (!reply.ok) return setProblem(reply.problem);
    setProblem(null);
    form.reset();
    onCreated(reply.value.token, reply.value.secret);
  }

  return (
    <form className={`card ${styles.form}`} onSubmit={onSubmit} data-testid="create-token-form" noValidate>
      <h2>New token</h2>
      <label className={styles.field}>
        Name
        <input className="input" name="name" placeholder="e.g. share-service CI" maxLength={100} required />
        {issue('name') && <span className={styles.fieldError} role="alert">{issue('name')}</span>}
      </label>
      <fieldset className={styles.field}>
        <legend>Scope</legend>
        <label className={styles.choice}>
          <input type="radio" name="scope" value="read" defaultChecked />
          <span>
            <b>read</b>: list models, fetch versions and the generated code
          </span>
        </label>
        <label className={styles.choice}>
          <input type="radio" name="scope" value="write" />
          <span>
            <b>write</b>: also save new versions
          </span>
        </label>
      </fieldset>
      <label className={styles.field}>
        Belongs to
        <select className="input" name="owner" defaultValue="">
          <option value="">You (acts with your role in each workspace)</option>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              Workspace {w.name} (outlives your membership)
            </option>
          ))}
        </select>
        {issue('workspaceId') && <span className={styles.fieldError} role="alert">{issue('workspaceId')}</span>}
      </label>
      <label className={styles.field}>
        Expires
        <select className="input" name="expiry" defaultValue="0">
          {EXPIRY.map((e, i) => (
            <option key={e.label} value={i}>
              {e.label}
            </option>
          ))}
        </select>
      </label>
      {problem && problem.issues.length === 0 && (
        <p className={styles.error} role="alert">
          {problem.error}
        </p>
      )}
      <div>
        <button className="btn btn-primary" type="submit" disabled={busy}>
          Create token
        </button>
      </div>
    </form>
  );
}
