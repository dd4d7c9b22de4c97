import { redirect } from 'next/navigation';
import { setupClosed } from '@/lib/auth/setup';
import { AccountForm } from '@/components/auth/AccountForm';
import styles from '@/components/auth/auth.module.css';

export const dynamic = 'force-dynamic';

/** First run: create the administrator. Closed once any account exists. */
export default async function SetupPage() {
  if (await setupClosed()) redirect('/sign-in');
  return (
    <div className={`card ${styles.panel}`}>
      <h1>Set up Lockstep</h1>
      <p className="muted">Nobody has an account yet. Create the administrator: you will own the first workspace and invite your team from it.</p>
      <AccountForm
        action="/api/setup"
        then="/"
        submit="Create administrator"
        testId="setup-form"
        fields={[
          { name: 'name', label: 'Your name', autoComplete: 'name' },
          { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
          { name: 'password', label: 'Password', type: 'password', autoComplete: 'new-password', hint: 'At least 10 characters.' },
          { name: 'workspace', label: 'First workspace', defaultValue: 'My team', hint: 'Models belong to a workspace; you can add more later.' },
        ]}
      />
    </div>
  );
}
