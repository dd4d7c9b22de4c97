/**
 * Opening an invitation link: a signed-in account with the invited email
 * joins at once; someone without an account creates one (the email is the
 * invitation's) and joins. An invitation is used once and expires.
 */
import { z } from 'zod';
import { ID_PATTERN } from '@/lib/db/ids';
import { getDb } from '@/lib/server/db';
import { apiError, json, readJsonBody, zodIssues } from '@/lib/server/http';
import { resolveActor } from './actor';
import { getAuth } from './server';
import { callAuth, cookieHeaderFrom, withCookies } from './call';
import { nameField, passwordField } from './account-input';

export interface OpenInvitation {
  id: string;
  email: string;
  role: string;
  workspace: { id: string; name: string };
  inviter: string;
  /** Whether an account with the invited email exists (then: sign in, don't sign up). */
  accountExists: boolean;
}

/** A pending, unexpired invitation, or null. */
export async function findOpenInvitation(id: string): Promise<OpenInvitation | null> {
  if (!ID_PATTERN.test(id)) return null;
  const db = await getDb();
  const row = await db.prisma.invitation.findUnique({
    where: { id },
    select: { id: true, email: true, role: true, status: true, expiresAt: true, workspace: { select: { id: true, name: true } }, inviter: { select: { name: true } } },
  });
  if (!row || row.status !== 'pending' || row.expiresAt <= new Date()) return null;
  const accountExists = (await db.prisma.user.count({ where: { email: row.email } })) > 0;
  return { id: row.id, email: row.email, role: row.role ?? 'viewer', workspace: row.workspace, inviter: row.inviter.name, accountExists };
}

const gone = () => apiError(404, 'this invitation link is not valid any more (used, cancelled or expired): ask for a new one');
const newAccountSchema = z.object({ name: nameField, password: passwordField }).strict();

/** POST /api/invitations/:id/accept: `{}` when signed in, `{ name, password }` to create the invited account. */
export async function acceptInvitation(request: Request, id: string): Promise<Response> {
  const invitation = await findOpenInvitation(id);
  if (!invitation) return gone();
  const auth = await getAuth();
  const actor = await resolveActor(request.headers);

  if (actor) {
    if (actor.email.toLowerCase() !== invitation.email.toLowerCase()) {
      return apiError(403, `this invitation is for ${invitation.email}; you are signed in as ${actor.email}`);
    }
    const accepted = await callAuth(() => auth.api.acceptInvitation({ body: { invitationId: id }, headers: request.headers }));
    return accepted.ok ? json({ workspace: invitation.workspace, role: invitation.role }) : accepted.response;
  }

  if (invitation.accountExists) return apiError(401, `an account for ${invitation.email} exists: sign in, then open the link again`);
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = newAccountSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const signUp = await auth.api.signUpEmail({ body: { name: parsed.data.name, email: invitation.email, password: parsed.data.password }, asResponse: true });
  if (!signUp.ok) {
    const detail = (await signUp.json().catch(() => ({}))) as { message?: string };
    return apiError(signUp.status === 422 ? 409 : signUp.status, detail.message ?? 'could not create the account');
  }
  const session = new Headers({ cookie: cookieHeaderFrom(signUp) });
  const accepted = await callAuth(() => auth.api.acceptInvitation({ body: { invitationId: id }, headers: session }));
  if (!accepted.ok) return accepted.response;
  return withCookies(json({ workspace: invitation.workspace, role: invitation.role }, 201), signUp);
}
