'use client';

import { useState } from 'react';

/** Ends the session (better-auth's sign-out) and goes to the sign-in page. */
export function SignOutButton({ className }: { className?: string }) {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => {});
    window.location.assign('/sign-in');
  }
  return (
    <button type="button" className={className ?? 'btn btn-small'} onClick={signOut} disabled={busy} data-testid="sign-out">
      Sign out
    </button>
  );
}
