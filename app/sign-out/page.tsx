import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { resolveActor } from '@/lib/auth/actor';
import { SignOutButton } from '@/components/auth/SignOutButton';
import styles from '@/components/auth/auth.module.css';

export const dynamic = 'force-dynamic';

/** A page to sign out from (a GET never signs out: another site could link here). */
export default async function SignOutPage() {
  const actor = await resolveActor(await headers());
  if (!actor) redirect('/sign-in');
  return (
    <div className={`card ${styles.panel}`}>
      <h1>Sign out</h1>
      <p className="muted">Signed in as {actor.email}.</p>
      <SignOutButton className="btn btn-primary" />
    </div>
  );
}
