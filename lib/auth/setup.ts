/**
 * First run: while the database holds no account, /setup creates the first
 * administrator and a first workspace it owns. Exactly once: the request first
 * claims an `AppMeta` row (its primary key makes the insert a conditional one
 * across processes and databases); a second, concurrent setup fails on that
 * insert and is told setup is closed.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '@/lib/server/db';
import { apiError, json, readJsonBody, zodIssues } from '@/lib/server/http';
import { getAuth } from './server';
import { callAuth, cookieHeaderFrom, withCookies } from './call';
import { emailField, nameField, passwordField, slugFor, workspaceNameField } from './account-input';

const SETUP_KEY = 'setup-claimed';

const setupSchema = z
  .object({ name: nameField, email: emailField, password: passwordField, workspace: workspaceNameField.optional() })
  .strict();

/** True once an account exists (or setup is under way): /setup is closed. */
export async function setupClosed(): Promise<boolean> {
  const db = await getDb();
  const [users, claim] = await Promise.all([db.prisma.user.count(), db.prisma.appMeta.findUnique({ where: { key: SETUP_KEY } })]);
  return users > 0 || claim !== null;
}

/** True when nobody can sign in yet: every page leads to /setup. */
export async function needsSetup(): Promise<boolean> {
  const db = await getDb();
  return (await db.prisma.user.count()) === 0;
}

const closed = () => apiError(404, 'setup is closed: an administrator already exists; sign in instead');

/** POST /api/setup `{ name, email, password, workspace? }` → 201, signed in as the new administrator. */
export async function runSetup(request: Request): Promise<Response> {
  if (await setupClosed()) return closed();
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = setupSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;

  const db = await getDb();
  try {
    await db.prisma.appMeta.create({ data: { key: SETUP_KEY, value: input.email } });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2002') return closed();
    throw error;
  }
  if ((await db.prisma.user.count()) > 0) return closed();

  const release = () => db.prisma.appMeta.deleteMany({ where: { key: SETUP_KEY } });
  try {
    const auth = await getAuth();
    const signUp = await auth.api.signUpEmail({ body: { name: input.name, email: input.email, password: input.password }, asResponse: true });
    if (!signUp.ok) {
      await release();
      const detail = (await signUp.json().catch(() => ({}))) as { message?: string };
      return apiError(signUp.status === 422 ? 400 : signUp.status, detail.message ?? 'could not create the account');
    }
    const session = new Headers({ cookie: cookieHeaderFrom(signUp) });
    const name = input.workspace ?? `${input.name}'s workspace`;
    const workspace = await callAuth(() =>
      auth.api.createOrganization({ body: { name, slug: slugFor(name, randomBytes(3).toString('hex')) }, headers: session }),
    );
    if (!workspace.ok) return workspace.response;
    return withCookies(json({ user: { name: input.name, email: input.email }, workspace: { id: workspace.value!.id, name } }, 201), signUp);
  } catch (error) {
    if ((await db.prisma.user.count()) === 0) await release();
    throw error;
  }
}
