import { randomBytes } from 'node:crypto';

/** A random id: 128 bits, base64url (22 characters). Unguessable, URL-safe. */
export function newId(bytes = 16): string {
  if (bytes < 16) throw new Error('ids carry at least 128 random bits');
  return randomBytes(bytes).toString('base64url');
}

/** Shape of ids this app hands out; anything else is answered with 404 without a query. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
