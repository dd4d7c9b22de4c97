import { headers } from 'next/headers';
import Link from 'next/link';
import { resolveActor } from '@/lib/auth/actor';
import { findOpenInvitation } from '@/lib/auth/invitations';
import { AccountForm } from '@/components/auth/AccountForm';
import { JoinButton } from '@/components/workspace/JoinButton';
import styles from '@/components/auth/auth.module.css';

export const dynamic = 'force-dynamic';

/** An invitation link: join the workspace as the signed-in account, or create the invited account. */
export default async function InvitePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const invitation = await findOpenInvitation(id);
  if (!invitation) {
    return (
      <div className={`card ${styles.panel}`} data-testid="invitation-invalid">
        <h1>This invitation is not valid</h1>
        <p className="muted">It was used, cancelled or has expired. Ask the workspace administrator for a new link.</p>
      </div>
    );
  }
  const actor = await resolveActor(await headers());
  const intro = (
    <>
      <h1>Join {invitation.workspace.name}</h1>
      <p className="muted" data-testid="invitation-summary">
        {invitation.inviter} invited <strong>{invitation.email}</strong> to join as <strong>{invitation.role}</strong>.
      </p>
    </>
  );
  if (actor) {
    const matches = actor.email.toLowerCase() === invitation.email.toLowerCase();
    return (
      <div className={`card ${styles.panel}`}>
        {intro}
        {matches ? (
          <JoinButton invitationId={id} />
        ) : (
          <p className={styles.error} role="alert">
            You are signed in as {actor.email}. <Link href="/sign-out">Sign out</Link>, then open this link again.
          </p>
        )}
      </div>
    );
  }
  return (
    <div className={`card ${styles.panel}`}>
      {intro}
      {invitation.accountExists ? (
        <p>
          <Link className="btn btn-primary" href={`/sign-in?next=${encodeURIComponent(`/invite/${id}`)}`}>
            Sign in as {invitation.email} to join
          </Link>
        </p>
      ) : (
        <AccountForm
          action={`/api/invitations/${id}/accept`}
          then="/"
          submit="Create account and join"
          testId="accept-invitation-form"
          fields={[
            { name: 'email', label: 'Email', type: 'email', defaultValue: invitation.email, readOnly: true },
            { name: 'name', label: 'Your name', autoComplete: 'name' },
            { name: 'password', label: 'Password', type: 'password', autoComplete: 'new-password', hint: 'At least 10 characters.' },
          ]}
        />
      )}
    </div>
  );
}
