/**
 * authorize() for server components: the same decision, turned into what a
 * page does with it. No account in the database → /setup; not signed in →
 * /sign-in (then back); an unknown or foreign resource → 404. A 403 is
 * returned for the page to explain (or redirect to a read-only view).
 */
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { needsSetup } from '@/lib/auth/setup';
import { authorize, type Action, type Denied, type Granted, type Resource } from './authorize';

export async function authorizePage(action: Action, resource: Resource, here: string): Promise<Granted | Denied> {
  const access = await authorize(await headers(), action, resource);
  if (access.ok) return access;
  if (access.status === 401) {
    if (await needsSetup()) redirect('/setup');
    redirect(`/sign-in?next=${encodeURIComponent(here)}`);
  }
  if (access.status === 404) notFound();
  return access;
}

/** The signed-in account for pages every account may see (the models list, workspaces). */
export async function requireAccount(here: string): Promise<Granted> {
  const access = await authorizePage('account', { kind: 'app' }, here);
  if (!access.ok) redirect('/sign-in');
  return access;
}
