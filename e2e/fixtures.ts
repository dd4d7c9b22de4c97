/**
 * Playwright's `test`, signed in: every page and `request` act as the test
 * administrator (created through first-run setup on an empty server, else
 * signed in; tests/helpers/api-session.ts). `signedInContext` opens another
 * browser context as the administrator or as a second account, an editor in
 * the same workspace; a plain `browser.newContext()` stays anonymous.
 */
import { test as base, expect, request as playwrightRequest, type Browser, type BrowserContext } from '@playwright/test';
import { apiSession, inviteMember, type ApiSession } from '../tests/helpers/api-session';

export { expect };
export type Who = 'admin' | 'editor';

const editors = new Map<string, Promise<ApiSession>>();

/** A second account, an editor in the administrator's first workspace (made once per server and worker). */
function editorSession(baseURL: string): Promise<ApiSession> {
  let session = editors.get(baseURL);
  if (!session) {
    session = (async () => {
      const admin = await apiSession(baseURL);
      const list = await fetch(`${baseURL}/api/workspaces`, { headers: admin.headers });
      const { workspaces } = (await list.json()) as { workspaces: { id: string; role: string }[] };
      const email = `editor-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}@lockstep.test`;
      return inviteMember(baseURL, admin, workspaces[0].id, 'editor', email);
    })();
    editors.set(baseURL, session);
  }
  return session;
}

export const sessionFor = (baseURL: string, who: Who) => (who === 'admin' ? apiSession(baseURL) : editorSession(baseURL));

export async function addSessionCookies(context: BrowserContext, baseURL: string, session: ApiSession) {
  const cookies = session.headers.cookie.split('; ').map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseURL, httpOnly: true, sameSite: 'Lax' as const };
  });
  await context.addCookies(cookies);
}

/** A new browser context signed in as `who`. Close it when done. */
export async function signedInContext(browser: Browser, baseURL: string, who: Who = 'admin'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  await addSessionCookies(context, baseURL, await sessionFor(baseURL, who));
  return context;
}

export const test = base.extend({
  context: async ({ context, baseURL }, use) => {
    await addSessionCookies(context, baseURL!, await apiSession(baseURL!));
    await use(context);
  },
  request: async ({ baseURL }, use) => {
    const session = await apiSession(baseURL!);
    const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: session.headers });
    await use(context);
    await context.dispose();
  },
});
