'use client';

import { useState } from 'react';
import { useSearchParams } from 'next/navigation';
import styles from './sso.module.css';

/**
 * Starts the OpenID Connect sign-in: better-auth answers with the provider's
 * authorization URL (state, PKCE and nonce kept in its own cookie) and the
 * browser goes there. The provider sends it back to /api/auth/callback/oidc,
 * which signs it in and redirects to `next`, or to /sign-in?error=… on failure.
 */
export function SsoButton({ providerId, label, next }: { providerId: string; label: string; next: string }) {
  const params = useSearchParams();
  const returned = params.get('error');
  const [error, setError] = useState<string | null>(returned ? describe(returned, params.get('error_description')) : null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setError(null);
    const response = await fetch('/api/auth/sign-in/social', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: providerId, callbackURL: next, errorCallbackURL: '/sign-in' }),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { url?: string; message?: string } | null;
    if (response?.ok && body?.url) {
      window.location.assign(body.url);
      return;
    }
    setError(body?.message ?? 'single sign-on is not available right now (the identity provider may be unreachable)');
    setBusy(false);
  }

  return (
    <div className={styles.sso}>
      <div className={styles.or} aria-hidden>
        <span>or</span>
      </div>
      <button type="button" className="btn" onClick={start} disabled={busy} data-testid="sso-sign-in">
        {label}
      </button>
      {error && (
        <p className={styles.error} role="alert">
          Single sign-on failed: {error}
        </p>
      )}
    </div>
  );
}

function describe(code: string, description: string | null): string {
  if (description) return description;
  switch (code) {
    case 'access_denied':
      return 'the identity provider refused the sign-in';
    case 'email_not_found':
      return 'the identity provider did not share an email address';
    case 'account_not_linked':
      return 'an account with this email exists but the identity provider has not verified the address';
    default:
      return code.replaceAll('_', ' ');
  }
}
