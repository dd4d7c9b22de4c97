'use client';

import { useState } from 'react';
import { postJson } from '@/components/auth/post-json';

/** Accepts an invitation as the signed-in account, then opens the workspace's models. */
export function JoinButton({ invitationId }: { invitationId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function join() {
    setBusy(true);
    const reply = await postJson(`/api/invitations/${invitationId}/accept`, {});
    if (reply.status < 300) {
      const workspace = reply.body.workspace as { id: string };
      window.location.assign(`/?workspace=${workspace.id}`);
      return;
    }
    setBusy(false);
    setError(reply.body.error ?? 'refused');
  }
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={join} disabled={busy} data-testid="join-workspace">
        Join the workspace
      </button>
      {error && <p role="alert">{error}</p>}
    </>
  );
}
