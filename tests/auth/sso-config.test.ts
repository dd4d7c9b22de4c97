/** SSO by configuration (lib/auth/sso.ts): off when unset, a clear error naming the variable when half set. */
import { describe, expect, it } from 'vitest';
import { readSsoConfig, ssoButton, ssoPlugins } from '@/lib/auth/sso';

const base = { LOCKSTEP_OIDC_ISSUER: 'https://idp.example.com/realms/team/', LOCKSTEP_OIDC_CLIENT_ID: 'lockstep', LOCKSTEP_OIDC_CLIENT_SECRET: 's3cret' };

describe('SSO configuration', () => {
  it('is off without LOCKSTEP_OIDC_ISSUER: no plugin, no button', () => {
    expect(readSsoConfig({})).toBeNull();
    expect(ssoPlugins({})).toEqual([]);
    expect(ssoButton({})).toBeNull();
  });

  it('reads the issuer, client and label, and discovers from the issuer', () => {
    const config = readSsoConfig({ ...base, LOCKSTEP_OIDC_NAME: 'Keycloak' })!;
    expect(config).toMatchObject({ issuer: 'https://idp.example.com/realms/team', discoveryUrl: 'https://idp.example.com/realms/team/.well-known/openid-configuration', authentication: 'basic', defaultMembership: null });
    expect(ssoButton({ ...base, LOCKSTEP_OIDC_NAME: 'Keycloak' })).toEqual({ providerId: 'oidc', label: 'Sign in with Keycloak' });
    expect(ssoButton(base)?.label).toBe('Sign in with SSO');
    expect(ssoPlugins(base).map((p) => p.id)).toEqual(['lockstep-sso-policy', 'generic-oauth']);
  });

  it('names the missing or wrong variable', () => {
    expect(() => readSsoConfig({ LOCKSTEP_OIDC_ISSUER: 'idp.example.com' })).toThrow(/LOCKSTEP_OIDC_ISSUER=idp.example.com is not a URL/);
    expect(() => readSsoConfig({ LOCKSTEP_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(/LOCKSTEP_OIDC_CLIENT_ID is not/);
    expect(() => readSsoConfig({ ...base, LOCKSTEP_OIDC_CLIENT_SECRET: ' ' })).toThrow(/LOCKSTEP_OIDC_CLIENT_SECRET is not/);
    expect(() => readSsoConfig({ ...base, LOCKSTEP_OIDC_DEFAULT_ROLE: 'admin' })).toThrow(/must be viewer or editor/);
    expect(() => readSsoConfig({ ...base, LOCKSTEP_OIDC_DEFAULT_ROLE: 'viewer' })).toThrow(/LOCKSTEP_OIDC_DEFAULT_WORKSPACE/);
    expect(() => readSsoConfig({ ...base, LOCKSTEP_OIDC_TOKEN_AUTH: 'jwt' })).toThrow(/basic or post/);
    expect(readSsoConfig({ ...base, LOCKSTEP_OIDC_DEFAULT_ROLE: 'editor', LOCKSTEP_OIDC_DEFAULT_WORKSPACE: 'team-1a2b3c' })!.defaultMembership).toEqual({ role: 'editor', workspace: 'team-1a2b3c' });
  });
});
