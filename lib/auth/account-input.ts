/** What a new account must give: validated here so each problem names its field. */
import { z } from 'zod';

export const MIN_PASSWORD = 10;

export const nameField = z.string().trim().min(1, 'give your name').max(100, 'at most 100 characters');
export const emailField = z.string().trim().toLowerCase().max(254).pipe(z.email('not an email address'));
export const passwordField = z.string().min(MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`).max(256, 'at most 256 characters');
export const workspaceNameField = z.string().trim().min(1, 'name the workspace').max(100, 'at most 100 characters');

/** A URL-safe, unique-enough slug for a workspace name. */
export function slugFor(name: string, suffix: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'workspace';
  return `${base}-${suffix}`;
}
