'use client';

import { useState } from 'react';
import styles from './tokens.module.css';

/** The plaintext of a token just created: shown this once, with how a build uses it. */
export function NewTokenSecret({ name, secret, origin, onDone }: { name: string; secret: string; origin: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(secret).catch(() => {});
    setCopied(true);
  }
  return (
    <section className={`card ${styles.secret}`} aria-label="New token" data-testid="new-token">
      <h2>Token “{name}” created</h2>
      <p>Copy it now: it is stored only as a hash and will not be shown again.</p>
      <div className={styles.secretRow}>
        <code data-testid="new-token-secret">{secret}</code>
        <button type="button" className="btn btn-small" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted">A build fetches its guards with it:</p>
      <pre className={styles.usage}>{`curl -fH "Authorization: Bearer $LOCKSTEP_TOKEN" \\\n  -o guards.zip ${origin}/api/models/<model id>/export/code`}</pre>
      <button type="button" className="btn" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
