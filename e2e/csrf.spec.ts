/**
 * CSRF and DNS rebinding from a real page in Chromium. The victim is signed
 * in (./fixtures: the browser holds the session cookie). The attacker's page
 * is served by a tiny node server on another loopback origin:
 * - 127.0.0.1:<other port>: a different origin but the *same site* as the app
 *   (ports don't make sites), so SameSite=Lax cookies would go along; only
 *   the Sec-Fetch-Site/Origin check stands in the way;
 * - 127.0.0.2:<other port>: another site altogether.
 * It tries every write a page can send without a CORS grant: form posts
 * (text/plain with a JSON-looking body, urlencoded), no-cors fetch, fetch
 * with credentials: 'include', sendBeacon, and a JSON fetch that needs a
 * preflight. A control run against a stand-in app with no guard shows each
 * write really is delivered (with the cookie, for the same-site page, and
 * with a JSON body where the type allows); against Lockstep, nothing was
 * created and the victim model is unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiSession } from '../tests/helpers/api-session';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      // rebind.test resolves to the app's address: the answer a rebinding attacker's DNS gives once it has flipped.
      '--host-resolver-rules=MAP rebind.test 127.0.0.1',
      // Chromium's Local Network Access check stops a page fulfilled by Playwright (address space unknown, so "public") from
      // reaching loopback. Other browsers, older ones and attackers on the team's own network have no such check: test without it.
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests',
    ],
  },
});

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const documentNamed = (name: string) => ({
  name,
  resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }], initial: 'available', transitions: [] }],
});

/** The attacker's page: fires every write at `app`, records what the scripts could see in window.attacks. */
function attackPage(app: string, victimId: string, marker: string): string {
  // Each body ends in a throwaway string ('cats'), where the text/plain form's '=' goes.
  const create = JSON.stringify({ document: { ...documentNamed(marker), description: 'cats' } });
  const save = JSON.stringify({ baseVersion: 1, document: documentNamed(marker), message: 'cats' });
  const targets = [
    [`${app}/api/models`, create],
    [`${app}/api/models/${victimId}/versions`, save],
  ];
  // A text/plain form sends `name=value`: split the JSON inside its last string ('cats' → 'ca=ts') so the body is valid JSON.
  const textForm = (action: string, body: string, i: number) => {
    const at = body.lastIndexOf('"') - 2;
    const name = body.slice(0, at).replace(/'/g, '&#39;');
    const value = body.slice(at).replace(/'/g, '&#39;');
    return `<iframe name="t${i}"></iframe><form id="f${i}" method="POST" enctype="text/plain" action="${action}" target="t${i}"><input type="hidden" name='${name}' value='${value}'></form>`;
  };
  const urlForm = (action: string, body: string, i: number) =>
    `<iframe name="u${i}"></iframe><form id="g${i}" method="POST" action="${action}" target="u${i}"><input type="hidden" name="document" value='${body.replace(/'/g, '&#39;')}'></form>`;
  return `<!doctype html><meta charset="utf-8"><title>cute cats</title>
${targets.map(([action, body], i) => textForm(action, body, i) + urlForm(action, body, i)).join('\n')}
<script>
window.attacks = [];
const targets = ${JSON.stringify(targets)};
async function attempt(label, fn) {
  try { const r = await fn(); window.attacks.push({ label, outcome: r && typeof r === 'object' && 'type' in r ? 'response ' + r.type + ' ' + r.status : String(r) }); }
  catch (e) { window.attacks.push({ label, outcome: 'threw ' + e.name }); }
}
window.attacked = (async () => {
  const loaded = [...document.querySelectorAll('iframe')].map((f) => new Promise((resolve) => f.addEventListener('load', resolve, { once: true })));
  targets.forEach((_, i) => { document.getElementById('f' + i).submit(); document.getElementById('g' + i).submit(); });
  for (const [url, body] of targets) {
    await attempt('no-cors ' + url, () => fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body }));
    await attempt('credentials ' + url, () => fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }));
    await attempt('json ' + url, () => fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body }));
    await attempt('beacon ' + url, () => navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' })));
  }
  await Promise.all(loaded);
})();
</script>`;
}

/** A node server on `host`:<free port> answering every request with `handle`. */
async function serve(host: string, handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  servers.push(server);
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}

const serveAttacker = (host: string, html: string) =>
  serve(host, (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });

interface Recorded {
  method: string;
  url: string;
  contentType: string;
  cookie: string;
  body: string;
}

/** Stands in for an app with no guard: records each request and says 201, without CORS headers. */
async function serveUnguardedApp(): Promise<{ url: string; recorded: Recorded[] }> {
  const recorded: Recorded[] = [];
  const { url } = await serve('127.0.0.1', (req, body, res) => {
    recorded.push({ method: req.method ?? '', url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), cookie: String(req.headers.cookie ?? ''), body });
    res.writeHead(req.method === 'OPTIONS' ? 204 : 201, { 'content-type': 'application/json' });
    res.end('{}');
  });
  return { url, recorded };
}

async function runAttack(page: Page, attackerUrl: string) {
  await page.goto(attackerUrl);
  await page.evaluate(() => (window as unknown as { attacked: Promise<void> }).attacked);
  await page.waitForTimeout(500); // beacons are fire-and-forget
  return page.evaluate(() => (window as unknown as { attacks: { label: string; outcome: string }[] }).attacks);
}

/** The app's answers to the page, as the browser saw them (null: never answered, or blocked by CORS before Playwright saw a status). */
function watchApp(page: Page, app: string): { method: string; url: string; status: number | null }[] {
  const seen: { method: string; url: string; status: number | null }[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(app)) seen.push({ method: r.request().method(), url: r.url(), status: r.status() });
  });
  return seen;
}

async function expectUntouched(request: APIRequestContext, victimId: string, marker: string) {
  const list = await (await request.get('/api/models')).json();
  expect(list.models.filter((m: { name: string }) => m.name.includes(marker))).toEqual([]);
  const versions = await (await request.get(`/api/models/${victimId}/versions`)).json();
  expect(versions.versions.map((v: { number: number }) => v.number)).toEqual([1]);
  const model = await (await request.get(`/api/models/${victimId}`)).json();
  expect(model.model.name).not.toContain(marker);
}

let servers: Server[] = [];
test.afterEach(async () => {
  await Promise.all(
    servers.map((s) => {
      const closed = new Promise((resolve) => s.close(resolve));
      s.closeAllConnections(); // the browser keeps connections alive
      return closed;
    }),
  );
  servers = [];
});

for (const [label, host] of [
  ['same-site (127.0.0.1, another port)', '127.0.0.1'],
  ['cross-site (127.0.0.2)', '127.0.0.2'],
] as const) {
  test(`a page on a ${label} origin cannot create a model or save over one`, async ({ page, request, baseURL }) => {
    const app = new URL(baseURL!).origin;
    const victimName = unique('Victim');
    const created = await request.post('/api/models', { data: { document: documentNamed(victimName) } });
    expect(created.status()).toBe(201);
    const victimId = (await created.json()).model.id as string;
    // The session cookies: SameSite=Lax, for host 127.0.0.1 (cookies ignore ports).
    const sessionCookies = (await apiSession(baseURL!)).headers.cookie.split('; ');

    // The victim uses the app, then visits the attacker's page in the same browser.
    await page.goto('/');
    await expect(page.getByText(victimName).first()).toBeVisible();

    // Control: the same page against an app with no guard delivers every write, as valid JSON where the type allows.
    const marker = unique('pwned');
    const unguarded = await serveUnguardedApp();
    await runAttack(page, (await serveAttacker(host, attackPage(unguarded.url, victimId, marker))).url);
    const posts = unguarded.recorded.filter((r) => r.method === 'POST');
    expect(posts.length, JSON.stringify(unguarded.recorded.map((r) => `${r.method} ${r.contentType}`))).toBe(10); // 4 forms; per target: no-cors, credentials, beacon
    expect(posts.filter((r) => r.contentType.startsWith('text/plain')).every((r) => JSON.parse(r.body) !== null)).toBe(true);
    expect(posts.some((r) => r.contentType.startsWith('application/json'))).toBe(false); // that one needed a preflight, never granted
    // SameSite does not stop a same-site page: the victim's session goes along with every write.
    if (host === '127.0.0.1') expect(posts.filter((r) => sessionCookies.every((c) => r.cookie.includes(c))).length).toBe(10);

    // The real app: same page, same browser.
    const seen = watchApp(page, app);
    const outcomes = await runAttack(page, (await serveAttacker(host, attackPage(app, victimId, marker))).url);
    expect(outcomes.filter((o) => o.label.startsWith('json ')).map((o) => o.outcome)).toEqual(['threw TypeError', 'threw TypeError']);
    const answered = seen.filter((s) => s.method === 'POST' && s.status !== null);
    expect(answered.length).toBeGreaterThan(0);
    for (const w of answered) expect(w.status, `${w.method} ${w.url}`).toBe(403);
    await expectUntouched(request, victimId, marker);

    // The victim's own pages still work.
    await page.goto(`/models/${victimId}`);
    await expect(page.getByText(victimName).first()).toBeVisible();
  });
}

test('DNS rebinding: a page whose name now resolves to the app gets 421 for every read and write', async ({ page, request, baseURL }) => {
  const app = new URL(baseURL!);
  const victimName = unique('Rebind victim');
  const created = await request.post('/api/models', { data: { document: documentNamed(victimName) } });
  const victimId = (await created.json()).model.id as string;
  const marker = unique('rebound');

  // The attacker's server served this page at rebind.test:<app port> before the DNS answer flipped to 127.0.0.1.
  const rebound = `http://rebind.test:${app.port}`;
  await page.route(`${rebound}/cats.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>cats</title><script>
        window.result = (async () => {
          const out = {};
          const read = await fetch('/api/models'); out.read = read.status; out.readBody = await read.text();
          const write = await fetch('/api/models', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify({ document: documentNamed(marker) }))} });
          out.write = write.status;
          const save = await fetch('/api/models/${victimId}/versions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify({ baseVersion: 1, document: documentNamed(marker) }))} });
          out.save = save.status;
          return out;
        })();
      </script>`,
    }),
  );
  await page.goto(`${rebound}/cats.html`);
  const result = await page.evaluate(() => (window as unknown as { result: Promise<Record<string, unknown>> }).result);
  // Same-origin as far as the browser knows: only the Host header gives it away.
  expect(result).toMatchObject({ read: 421, write: 421, save: 421 });
  expect(String(result.readBody)).not.toContain(victimName);
  expect(String(result.readBody)).toContain(app.origin);

  // A page opened at the rebound name shows the refusal, naming the real address.
  await page.unroute(`${rebound}/cats.html`);
  const response = await page.goto(`${rebound}/`);
  expect(response?.status()).toBe(421);
  await expect(page.locator('body')).toContainText(`served at ${app.origin}`);

  await expectUntouched(request, victimId, marker);
});
