/**
 * Workspace roles and what each may do, as better-auth access-control roles.
 * The organization plugin checks member/invitation/workspace permissions with
 * these; lib/server/authorize.ts checks model permissions with the same table.
 */
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/organization/access';

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const statements = {
  ...defaultStatements,
  // comment / resolve / decide: review threads and approvals (lib/server/reviews-api.ts).
  model: ['read', 'run', 'write', 'delete', 'comment', 'resolve', 'decide'],
  // Workspace API tokens: the api-key plugin checks this statement (lib/auth/tokens.ts).
  apiKey: ['create', 'read', 'update', 'delete'],
} as const;

export const ac = createAccessControl(statements);

type ModelVerb = (typeof statements.model)[number];
const read = { model: ['read', 'run', 'comment', 'decide'] as ModelVerb[], ac: ['read'] as 'read'[] };
const manage = {
  member: ['create', 'update', 'delete'] as ('create' | 'update' | 'delete')[],
  apiKey: ['create', 'read', 'update', 'delete'] as ('create' | 'read' | 'update' | 'delete')[],
  invitation: ['create', 'cancel'] as ('create' | 'cancel')[],
  ac: ['read'] as 'read'[],
};

export const roles = {
  viewer: ac.newRole({ ...read }),
  editor: ac.newRole({ ...read, model: ['read', 'run', 'write', 'comment', 'resolve', 'decide'] }),
  admin: ac.newRole({ ...manage, organization: ['update'], model: ['read', 'run', 'write', 'delete', 'comment', 'resolve', 'decide'] }),
  owner: ac.newRole({ ...manage, organization: ['update', 'delete'], model: ['read', 'run', 'write', 'delete', 'comment', 'resolve', 'decide'] }),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Editors, admins and owners save and create models; viewers only read and check. */
export function roleAllowsWrite(role: Role): boolean {
  return roles[role].authorize({ model: ['write'] }).success;
}
