'use client';

import { formatTime } from '@/components/ui/format';
import type { TokenView } from './api';
import styles from './tokens.module.css';

/** The audit list: every token you may manage, revoked and expired ones included, with when each was created and last used. */
export function TokenTable({ tokens, onRevoke }: { tokens: TokenView[]; onRevoke: (token: TokenView) => void }) {
  if (tokens.length === 0) return <p className="muted">No tokens yet.</p>;
  return (
    <div className="card">
      <table className={styles.table} aria-label="API tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Belongs to</th>
            <th>Scope</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-status={t.status}>
              <td>{t.name}</td>
              <td>
                <code>{t.start}…</code>
              </td>
              <td>{t.workspace ? `Workspace ${t.workspace.name}` : 'You'}</td>
              <td>{t.scope ?? 'none'}</td>
              <td>
                {formatTime(t.createdAt)}
                {t.createdBy && <div className="muted">by {t.createdBy}</div>}
              </td>
              <td data-testid="token-last-used">{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never'}</td>
              <td>
                <span className={`${styles.status} ${styles[t.status]}`}>{t.status}</span>
                {t.status === 'revoked' && t.revokedAt && (
                  <div className="muted">
                    {formatTime(t.revokedAt)}
                    {t.revokedBy && ` by ${t.revokedBy}`}
                  </div>
                )}
                {t.status === 'active' && t.expiresAt && <div className="muted">until {formatTime(t.expiresAt)}</div>}
              </td>
              <td className={styles.actions}>
                {t.status !== 'revoked' && (
                  <button type="button" className="btn btn-small btn-danger" onClick={() => onRevoke(t)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
