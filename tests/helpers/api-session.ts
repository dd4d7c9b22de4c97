/**
 * Signed-in HTTP sessions for the API tests, against a real server.
 *
 * `apiSession(base)` authenticates as the test administrator (owner of its
 * first workspace, so it can create, save and delete): on a server whose
 * database has no account yet it creates that administrator through the
 * first-run setup endpoint, otherwise it signs in. Every API test file uses
 * it, so they all share one administrator per server.
 */
export const TEST_ADMIN = { name: 'Test Admin', email: 'admin@lockstep.test', password: 'test-admin-password-1' } as const;

export interface ApiSession {
  /** Send these with every request: the session cookie and the app's own Origin (state-changing requests need it). */
  headers: Record<string, string>;
  user: { name: string; email: string };
}

const sessions = new Map<string, Promise<ApiSession>>();

/** The cookie pairs (`name=value`) a response set. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

/** Signs in with email and password; throws with the server's answer when refused. */
export async function signIn(base: string, email: string, password: string): Promise<ApiSession> {
  const r = await postJson(base, '/api/auth/sign-in/email', { email, password });
  if (!r.ok) throw new Error(`sign-in as ${email} at ${base} failed: ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { user: { name: string; email: string } };
  return { headers: { cookie: cookiesFrom(r), origin: base }, user: { name: body.user.name, email: body.user.email } };
}

async function createOrSignIn(base: string): Promise<ApiSession> {
  const setup = await postJson(base, '/api/setup', { ...TEST_ADMIN, workspace: 'Test workspace' });
  if (setup.status === 201) return { headers: { cookie: cookiesFrom(setup), origin: base }, user: { name: TEST_ADMIN.name, email: TEST_ADMIN.email } };
  if (setup.status !== 404) throw new Error(`setup at ${base} answered ${setup.status}: ${await setup.text()}`);
  // Another test process may be finishing the same setup right now (401 until the account exists), and
  // many test files sign in at once: the server's sign-in rate limit answers 429 with X-Retry-After.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await postJson(base, '/api/auth/sign-in/email', { email: TEST_ADMIN.email, password: TEST_ADMIN.password });
    if (r.ok) {
      const body = (await r.json()) as { user: { name: string; email: string } };
      return { headers: { cookie: cookiesFrom(r), origin: base }, user: { name: body.user.name, email: body.user.email } };
    }
    const text = await r.text();
    if ((r.status !== 429 && r.status !== 401) || Date.now() > deadline) throw new Error(`sign-in as ${TEST_ADMIN.email} at ${base} failed: ${r.status} ${text}`);
    const retryAfter = Number(r.headers.get('x-retry-after') ?? r.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, r.status === 429 ? Math.max(1, retryAfter || 2) * 1000 : 250));
  }
}

/** An editor-capable (owner) session on the server at `base`, created once per test process. */
export function apiSession(base: string): Promise<ApiSession> {
  let session = sessions.get(base);
  if (!session) {
    session = createOrSignIn(base);
    sessions.set(base, session);
    session.catch(() => sessions.delete(base));
  }
  return session;
}

/**
 * A new account with `role` in the workspace `workspaceId`, made the way a
 * user would: the admin invites an email, the invitee opens the link and
 * creates the account. Returns the invitee's session.
 */
export async function inviteMember(base: string, admin: ApiSession, workspaceId: string, role: string, email: string, password = 'member-password-1'): Promise<ApiSession & { memberId: string }> {
  const invited = await postJson(base, `/api/workspaces/${workspaceId}/invitations`, { email, role }, admin.headers);
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${await invited.text()}`);
  const { invitation } = (await invited.json()) as { invitation: { id: string } };
  const accepted = await postJson(base, `/api/invitations/${invitation.id}/accept`, { name: `${role} user`, password });
  if (accepted.status !== 201) throw new Error(`accepting the invitation failed: ${accepted.status} ${await accepted.text()}`);
  const session = { headers: { cookie: cookiesFrom(accepted), origin: base }, user: { name: `${role} user`, email } };
  const members = await fetch(`${base}/api/workspaces/${workspaceId}/members`, { headers: session.headers });
  const { members: list } = (await members.json()) as { members: { id: string; email: string }[] };
  return { ...session, memberId: list.find((m) => m.email === email)!.id };
}

export interface ApiAnswer {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: any;
}

/**
 * One request to the real server as `who` (null: anonymous, same-origin), with
 * a JSON body when given, or a raw one (e.g. malformed JSON) when `raw` is set.
 */
export async function callApi(base: string, who: ApiSession | null, method: string, path: string, body?: unknown, raw?: string): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(who ? who.headers : { origin: base }) };
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(base + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)), redirect: 'manual' });
  const text = await r.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: r.status, body: parsed };
}
