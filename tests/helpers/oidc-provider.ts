/**
 * A real OpenID Connect provider (the `oidc-provider` package, the certified
 * implementation) on loopback, for single sign-on tests: one confidential
 * client, password-checked test users, PKCE required, and its own login form
 * (no `devInteractions`, which would sign anyone in as any account id).
 *
 *   const idp = await startOidcProvider({ port: 3317, client: { id, secret, redirectUris: [`${app}/api/auth/callback/oidc`] }, users });
 *   ... LOCKSTEP_OIDC_ISSUER=idp.issuer ...
 *   await idp.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OidcTestUser {
  sub: string;
  email: string;
  name: string;
  password: string;
  emailVerified?: boolean;
}

export interface OidcTestClient {
  id: string;
  secret: string;
  redirectUris: string[];
}

export interface RunningOidcProvider {
  /** The issuer URL, e.g. http://127.0.0.1:3317 (no trailing slash): what LOCKSTEP_OIDC_ISSUER is set to. */
  issuer: string;
  /** How many logins the form accepted (a test can tell a real sign-in from a reused session). */
  logins(): number;
  stop(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

function loginForm(uid: string, clientName: string, error?: string, email = ''): string {
  return page(
    'Test IdP sign-in',
    `<h1>Test IdP</h1><p>Sign in to continue to ${escapeHtml(clientName)}</p>` +
      (error ? `<p role="alert">${escapeHtml(error)}</p>` : '') +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
      `<label>Email <input name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required></label>` +
      `<label>Password <input name="password" type="password" autocomplete="current-password" required></label>` +
      `<button type="submit">Sign in</button></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) break;
  }
  return new URLSearchParams(text);
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

export async function startOidcProvider(options: {
  port?: number;
  host?: string;
  client: OidcTestClient;
  users: OidcTestUser[];
}): Promise<RunningOidcProvider> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const bySub = new Map(options.users.map((u) => [u.sub, u]));
  let logins = 0;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.client.id,
        client_secret: options.client.secret,
        redirect_uris: options.client.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // PKCE required for this confidential client too: the test proves the app sends it.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['lockstep-test-idp-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx, sub) {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: user.email, email_verified: user.emailVerified ?? true, name: user.name };
        },
      };
    },
  });
  // Its dev-only signing keys warn once per process; fine for a test provider.
  const callback = provider.callback();

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) return void callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== match[1]) return send(res, 400, page('Error', '<p>interaction mismatch</p>'));
      const client = await provider.Client.find(String(details.params.client_id));
      const clientName = client?.clientName ?? String(details.params.client_id);

      if (details.prompt.name === 'consent') {
        // A first-party app: consent is implied, as an organisation's IdP usually configures it.
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant!.save();
        return void (await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true }));
      }

      if (req.method === 'GET' && !match[2]) return send(res, 200, loginForm(details.uid, clientName));
      if (req.method === 'POST' && match[2]) {
        const form = await readForm(req);
        const email = form.get('email') ?? '';
        const user = options.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
        if (!user || user.password !== form.get('password')) return send(res, 401, loginForm(details.uid, clientName, 'Wrong email or password.', email));
        logins++;
        return void (await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false }));
      }
      send(res, 405, page('Error', '<p>method not allowed</p>'));
    } catch (error) {
      send(res, 400, page('Error', `<p>${escapeHtml(String((error as Error).message))}</p>`));
    }
  });

  return {
    issuer,
    logins: () => logins,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
