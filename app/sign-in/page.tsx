import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { needsSetup } from '@/lib/auth/setup';
import { resolveActor } from '@/lib/auth/actor';
import { safeNextPath } from '@/lib/auth/next-path';
import { AccountForm } from '@/components/auth/AccountForm';
import styles from '@/components/auth/auth.module.css';
import { SsoSignIn } from '@/components/sso/SsoSignIn';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await needsSetup()) redirect('/setup');
  const next = safeNextPath((await searchParams).next);
  if (await resolveActor(await headers())) redirect(next);
  return (
    <div className={`card ${styles.panel}`}>
      <h1>Sign in</h1>
      <p className="muted">Accounts are created by invitation: ask a workspace administrator for a link.</p>
      <AccountForm
        action="/api/auth/sign-in/email"
        then={next}
        submit="Sign in"
        testId="sign-in-form"
        fields={[
          { name: 'email', label: 'Email', type: 'email', autoComplete: 'username' },
          { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' },
        ]}
      />
      {/* "Sign in with <name>" when single sign-on is configured (LOCKSTEP_OIDC_*). */}
      <SsoSignIn next={next} />
    </div>
  );
}
