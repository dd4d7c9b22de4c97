'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/ui/api-client';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import styles from './workspace.module.css';

const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;

interface Member { id: string; role: string; name: string; email: string; userId: string }
interface Invitation { id: string; email: string; role: string; url: string }

export interface MembersPanelProps {
  workspace: { id: string; name: string };
  me: { userId: string; role: string };
  canManage: boolean;
  canDelete: boolean;
  members: Member[];
  invitations: Invitation[];
}

/** Members and roles; for admins, invitations by link (there is no mail: the admin copies the link to the invitee). */
export function MembersPanel({ workspace, me, canManage, canDelete, members, invitations }: MembersPanelProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('editor');
  const [created, setCreated] = useState<Invitation | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const base = `/api/workspaces/${workspace.id}`;
  const grantable = ROLES.filter((r) => r !== 'owner' || me.role === 'owner');

  async function act(url: string, init: RequestInit): Promise<boolean> {
    setError(null);
    const result = await callApi<unknown>(url, init);
    if (!result.ok) {
      setError(result.failure.issues[0] ? `${result.failure.issues[0].path}: ${result.failure.issues[0].message}` : result.failure.error);
      return false;
    }
    router.refresh();
    return true;
  }

  async function invite(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await callApi<{ invitation: Invitation }>(`${base}/invitations`, { method: 'POST', body: JSON.stringify({ email, role }) });
    if (!result.ok) return setError(result.failure.issues[0]?.message ?? result.failure.error);
    setCreated(result.data.invitation);
    setEmail('');
    router.refresh();
  }

  return (
    <div className={styles.page}>
      <nav>
        <Link href="/workspaces">Workspaces</Link> / <span>{workspace.name}</span>
      </nav>
      <h1>{workspace.name}</h1>
      <p className="muted">
        Viewers read models and run checks; editors also create and save; admins also delete models and manage members; owners also delete the workspace.
      </p>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}

      <div className="card">
        <table className={styles.table} aria-label="Members">
          <thead>
            <tr>
              <th>Member</th>
              <th>Role</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const editable = canManage && m.userId !== me.userId && (m.role !== 'owner' || me.role === 'owner');
              return (
                <tr key={m.id} data-testid="member-row" data-email={m.email}>
                  <td>
                    {m.name} <span className="muted">{m.email}</span>
                  </td>
                  <td>
                    {editable ? (
                      <select className="input" aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => act(`${base}/members/${m.id}`, { method: 'PATCH', body: JSON.stringify({ role: e.target.value }) })}>
                        {grantable.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      m.role
                    )}
                  </td>
                  <td className={styles.actions}>
                    {editable && (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => act(`${base}/members/${m.id}`, { method: 'DELETE' })}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {canManage && (
        <>
          <h2>Invite</h2>
          <form className={`card ${styles.form}`} onSubmit={invite} aria-label="Invite a member">
            <label>
              Email
              <input className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            </label>
            <label>
              Role
              <select className="input" value={role} onChange={(e) => setRole(e.target.value)}>
                {grantable.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <button className="btn btn-primary" type="submit" disabled={!email.trim()}>
              Create invitation link
            </button>
          </form>
          {created && (
            <div className="alert alert-ok" role="status" data-testid="invitation-created">
              Send this link to {created.email} (it works once, for a week): <code className={styles.link} data-testid="invitation-link">{created.url}</code>{' '}
              <button type="button" className="btn btn-small" onClick={() => navigator.clipboard?.writeText(created.url)}>
                Copy link
              </button>
            </div>
          )}
          {invitations.length > 0 && (
            <div className="card">
              <table className={styles.table} aria-label="Pending invitations">
                <tbody>
                  {invitations.map((i) => (
                    <tr key={i.id} data-testid="invitation-row">
                      <td>{i.email}</td>
                      <td>{i.role}</td>
                      <td className={styles.link}>{i.url}</td>
                      <td className={styles.actions}>
                        <button type="button" className="btn btn-small" onClick={() => act(`${base}/invitations/${i.id}`, { method: 'DELETE' })}>
                          Cancel
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      {canDelete && (
        <div className={`card ${styles.danger}`}>
          <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
            Delete workspace…
          </button>
          {confirmDelete && (
            <ConfirmDialog
              open
              title={`Delete ${workspace.name}?`}
              confirmLabel="Delete workspace and its models"
              onCancel={() => setConfirmDelete(false)}
              onConfirm={async () => {
                if (await act(base, { method: 'DELETE' })) window.location.assign('/workspaces');
              }}
            >
              Every model in it, with all versions, check runs and share links, is deleted. This cannot be undone.
            </ConfirmDialog>
          )}
        </div>
      )}
    </div>
  );
}
