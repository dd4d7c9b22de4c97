import { ssoButton } from '@/lib/auth/sso';
import { SsoButton } from './SsoButton';

/** "Sign in with <name>" on the sign-in page when single sign-on is configured (lib/auth/sso.ts); nothing otherwise. */
export function SsoSignIn({ next }: { next: string }) {
  const button = ssoButton();
  return button ? <SsoButton providerId={button.providerId} label={button.label} next={next} /> : null;
}
