import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { resolveActor } from '@/lib/auth/actor';
import { SignOutButton } from '@/components/auth/SignOutButton';
import styles from '@/components/auth/auth.module.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Lockstep',
  description: 'Design, model-check and generate guards for resource lifecycles under concurrency',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Anonymous visitors (a share link) get no way into the app's pages: no nav, no links.
  const actor = await resolveActor(await headers()).catch(() => null);
  return (
    <html lang="en">
      <body>
        <header className="app-header">
          {actor ? (
            <Link href="/" className="brand">
              <span className="brand-mark" aria-hidden>
                L
              </span>
              Lockstep
            </Link>
          ) : (
            <span className="brand">
              <span className="brand-mark" aria-hidden>
                L
              </span>
              Lockstep
            </span>
          )}
          {actor && (
            <nav className="app-nav">
              <Link href="/">Models</Link>
              <Link href="/workspaces">Workspaces</Link>
              <Link href="/settings/tokens">API tokens</Link>
            </nav>
          )}
          <span className="app-tagline">Design concurrent resource lifecycles. Check every interleaving.</span>
          {actor && (
            <span className={styles.account} data-testid="account">
              <span title={actor.email}>{actor.name}</span>
              <SignOutButton />
            </span>
          )}
        </header>
        <main className="app-main">{children}</main>
      </body>
    </html>
  );
}
