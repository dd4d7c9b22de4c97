'use client';

import { useCallback, useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { listTokens, revokeToken, type TokenView } from './api';
import { CreateTokenForm } from './CreateTokenForm';
import { NewTokenSecret } from './NewTokenSecret';
import { TokenTable } from './TokenTable';
import styles from './tokens.module.css';

/** /settings/tokens: create, list (the audit list) and revoke API tokens. */
export function TokensPage({ origin }: { origin: string }) {
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [workspaces, setWorkspaces] = useState<{ id: string; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const reply = await listTokens();
    if (!reply.ok) return setError(reply.problem.error);
    setTokens(reply.value.tokens);
    setWorkspaces(reply.value.workspaces);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function confirmRevoke() {
    if (!revoking) return;
    setBusy(true);
    const reply = await revokeToken(revoking.id);
    setBusy(false);
    setRevoking(null);
    if (!reply.ok) return setError(reply.problem.error);
    await load();
  }

  return (
    <div className={styles.page}>
      <h1>API tokens</h1>
      <p className="muted">
        Builds and CI authenticate with a token in an <code>Authorization: Bearer</code> header. A <b>read</b> token lists models, fetches versions and
        the generated code; a <b>write</b> token also saves versions. No token deletes models, runs checks or manages members.
      </p>
      {created ? (
        <NewTokenSecret name={created.name} secret={created.secret} origin={origin} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          workspaces={workspaces}
          onCreated={(token, secret) => {
            setCreated({ name: token.name, secret });
            void load();
          }}
        />
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
      <h2>Tokens</h2>
      {tokens === null ? <p className="muted">Loading…</p> : <TokenTable tokens={tokens} onRevoke={setRevoking} />}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        busy={busy}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      >
        <p>Builds using it get 401 from now on. It stays in this list as revoked.</p>
      </ConfirmDialog>
    </div>
  );
}
