import { describe, expect, it } from 'vitest';
import { guardRequest, normaliseHost, type GuardRequest } from './request-guard';
import { normaliseOrigin, OriginConfigError } from './origin';

const ORIGIN = 'http://localhost:3000';

function req(method: string, pathname: string, headers: Record<string, string> = {}): GuardRequest {
  const h = new Headers({ host: 'localhost:3000', ...headers });
  return { method, pathname, headers: h };
}

const verdict = (r: GuardRequest, origin = ORIGIN) => {
  const v = guardRequest(r, origin);
  return v.ok ? 'ok' : `${v.status} ${v.reason}`;
};

const json = { 'content-type': 'application/json' };

describe('request guard: path', () => {
  it('refuses a path whose percent-encoding is not UTF-8 with 400, before anything else', () => {
    expect(verdict(req('GET', '/api/models/%ED%A0%80'))).toBe('400 path');
    expect(verdict(req('POST', '/api/models/%FF/versions', { host: 'evil.example' }))).toBe('400 path');
    expect(verdict(req('GET', '/api/models/%E2%9C%93'))).toBe('ok');
  });
});

describe('request guard: Host', () => {
  it('answers only the configured host, for pages and API alike', () => {
    expect(verdict(req('GET', '/'))).toBe('ok');
    expect(verdict(req('GET', '/api/models', { host: 'LOCALHOST:3000' }))).toBe('ok');
    for (const host of ['evil.example:3000', 'evil.example', 'localhost:3001', 'localhost', '127.0.0.1:3000', 'localhost:3000@evil', '']) {
      expect(verdict(req('GET', '/', { host })), host).toBe('421 host');
      expect(verdict(req('POST', '/api/models', { host, ...json })), host).toBe('421 host');
    }
  });

  it('refuses a request with no Host header (HTTP/1.0)', () => {
    const headers = new Headers();
    expect(verdict({ method: 'GET', pathname: '/', headers })).toBe('421 host');
  });

  it('compares ports as URLs do: the scheme default may be written or left out', () => {
    expect(verdict(req('GET', '/', { host: 'lockstep.example' }), 'https://lockstep.example')).toBe('ok');
    expect(verdict(req('GET', '/', { host: 'lockstep.example:443' }), 'https://lockstep.example')).toBe('ok');
    expect(verdict(req('GET', '/', { host: 'lockstep.example:80' }), 'https://lockstep.example')).toBe('421 host');
    expect(verdict(req('GET', '/', { host: '[::1]:3000' }), 'http://[::1]:3000')).toBe('ok');
  });

  it('lets load-balancer health probes read /api/health at any host, and nothing else', () => {
    expect(verdict(req('GET', '/api/health', { host: '10.0.0.7:3000' }))).toBe('ok');
    expect(verdict(req('POST', '/api/health', { host: '10.0.0.7:3000', ...json }))).toBe('421 host');
    expect(verdict(req('GET', '/api/health/x', { host: '10.0.0.7:3000' }))).toBe('421 host');
  });

  it('names the configured origin in its message', () => {
    const v = guardRequest(req('GET', '/', { host: 'evil.example' }), ORIGIN);
    expect(v.ok ? '' : v.error).toContain('http://localhost:3000');
    expect(v.ok ? '' : v.error).toContain('LOCKSTEP_ORIGIN');
  });

  it('normalises hosts like URL does, and rejects what is not an authority', () => {
    expect(normaliseHost('Example.COM:80', 'http:')).toBe('example.com');
    expect(normaliseHost('a b', 'http:')).toBeNull();
    expect(normaliseHost('evil/x', 'http:')).toBeNull();
  });
});

describe('request guard: cross-origin writes (Go 1.25 CrossOriginProtection)', () => {
  it('always allows safe methods, even cross-site', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(verdict(req(method, '/api/models', { 'sec-fetch-site': 'cross-site' }))).toBe('ok');
  });

  it('with Sec-Fetch-Site, allows only same-origin and none', () => {
    expect(verdict(req('POST', '/api/models', { ...json, 'sec-fetch-site': 'same-origin' }))).toBe('ok');
    expect(verdict(req('POST', '/api/models', { ...json, 'sec-fetch-site': 'none' }))).toBe('ok');
    for (const site of ['cross-site', 'same-site', 'garbage']) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(verdict(req(method, '/api/models/x', { ...json, 'sec-fetch-site': site })), `${method} ${site}`).toBe('403 cross-origin');
    }
    // Sec-Fetch-Site wins over a matching Origin: it cannot be forged by a page.
    expect(verdict(req('POST', '/api/models', { ...json, 'sec-fetch-site': 'cross-site', origin: ORIGIN }))).toBe('403 cross-origin');
  });

  it('without Sec-Fetch-Site, requires Origin (when present) to be the configured origin, scheme included', () => {
    expect(verdict(req('POST', '/api/models', { ...json, origin: ORIGIN }))).toBe('ok');
    expect(verdict(req('POST', '/api/models', { ...json, origin: 'http://LOCALHOST:3000' }))).toBe('ok');
    for (const origin of ['http://127.0.0.1:3000', 'https://localhost:3000', 'http://localhost:3001', 'http://evil.example', 'null', 'not a url']) {
      expect(verdict(req('POST', '/api/models', { ...json, origin })), origin).toBe('403 cross-origin');
    }
  });

  it('allows requests with neither header: curl, CI, server-to-server', () => {
    expect(verdict(req('POST', '/api/models', json))).toBe('ok');
    expect(verdict(req('DELETE', '/api/models/x'))).toBe('ok');
  });

  it('does not apply to bearer-token requests (no ambient credential), but the Host check still does', () => {
    const bearer = { ...json, authorization: 'Bearer lst_abc', 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' };
    expect(verdict(req('POST', '/api/models', bearer))).toBe('ok');
    expect(verdict(req('POST', '/api/models', { ...bearer, host: 'evil.example' }))).toBe('421 host');
    // A cookie-authenticated request with some other Authorization scheme is still checked.
    expect(verdict(req('POST', '/api/models', { ...bearer, authorization: 'Basic abc' }))).toBe('403 cross-origin');
  });

  it('checks pages and better-auth too, except the OAuth callbacks an identity provider posts to', () => {
    expect(verdict(req('POST', '/models/x', { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }))).toBe('403 cross-origin');
    expect(verdict(req('POST', '/api/auth/sign-in/email', { ...json, 'sec-fetch-site': 'cross-site' }))).toBe('403 cross-origin');
    expect(verdict(req('POST', '/api/auth/callback/oidc', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }))).toBe('ok');
    expect(verdict(req('POST', '/api/auth/oauth2/callback/oidc', { 'sec-fetch-site': 'cross-site' }))).toBe('ok');
  });
});

describe('request guard: media type', () => {
  it('requires application/json for writes to the API', () => {
    expect(verdict(req('POST', '/api/models', { 'content-type': 'application/json; charset=utf-8' }))).toBe('ok');
    expect(verdict(req('PUT', '/api/models/x', { 'content-type': 'Application/JSON' }))).toBe('ok');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json', 'application/json-patch+json']) {
      expect(verdict(req('POST', '/api/models', { 'content-type': type })), type).toBe('415 media-type');
    }
    expect(verdict(req('POST', '/api/models'))).toBe('415 media-type');
    expect(verdict(req('PATCH', '/api/models/x', { 'content-length': '2' }))).toBe('415 media-type');
  });

  it('accepts a DELETE without a body, but not one with a body of another type', () => {
    expect(verdict(req('DELETE', '/api/models/x'))).toBe('ok');
    expect(verdict(req('DELETE', '/api/models/x', { 'content-length': '0' }))).toBe('ok');
    expect(verdict(req('DELETE', '/api/models/x', { 'content-length': '5', 'content-type': 'text/plain' }))).toBe('415 media-type');
    expect(verdict(req('DELETE', '/api/models/x', { 'transfer-encoding': 'chunked' }))).toBe('415 media-type');
  });

  it('leaves better-auth to check its own media types; reads need none', () => {
    expect(verdict(req('POST', '/api/auth/sign-in/email', { 'content-type': 'application/x-www-form-urlencoded' }))).toBe('ok');
    expect(verdict(req('GET', '/api/models'))).toBe('ok');
  });

  it('checks a cross-site form post as cross-site first (403), the clearer answer', () => {
    expect(verdict(req('POST', '/api/models', { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }))).toBe('403 cross-origin');
  });
});

describe('configured origin', () => {
  it('normalises LOCKSTEP_ORIGIN to scheme://host[:port]', () => {
    expect(normaliseOrigin('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(normaliseOrigin(' HTTPS://Lockstep.Example:443 ')).toBe('https://lockstep.example');
  });

  it('refuses what is not an http(s) origin, naming the variable', () => {
    for (const bad of ['localhost:3000', 'ftp://x', 'https://x.example/lockstep', 'https://x.example/?a=1', 'https://u:p@x.example', '']) {
      expect(() => normaliseOrigin(bad), bad).toThrow(OriginConfigError);
      expect(() => normaliseOrigin(bad), bad).toThrow(/LOCKSTEP_ORIGIN/);
    }
  });
});
