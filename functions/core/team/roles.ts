// The team's roles and what each may do: the one place a permission is granted to a role.

import { PERMISSIONS, type Permission } from './permissions.js';

export const ROLES = ['owner', 'marketer', 'analyst', 'privacy'] as const;
export type Role = (typeof ROLES)[number];

/** A token issued before roles existed carries none; it keeps the power it had, so nothing breaks on upgrade. */
export const ROLE_OF_A_TOKEN_WITHOUT_ONE: Role = 'owner';

const reads = PERMISSIONS.filter((p) => p.endsWith(':read'));

/**
 * - owner: everything, including write keys, API tokens, settings and erasure.
 * - marketer: builds and sends (journeys, broadcasts, templates, segments, coupons, the product catalog,
 *   test sends, customer imports, manual loyalty-point adjustments) and reads what that work needs; never keys,
 *   settings, erasure or the audit log.
 * - analyst: reads everything (reports, CSV, the audit log) and may rerun the analytics jobs; changes nothing.
 * - privacy: the data-protection officer: customer lookup, erasure, the audit log.
 * Deciding approvals is the owner's (or a token flagged `approver`): a second pair of eyes on sends.
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  marketer: [
    ...reads.filter((p) => p !== 'keys:read' && p !== 'audit:read'),
    'journeys:write',
    'segments:write',
    'templates:write',
    'broadcasts:write',
    'broadcasts:send',
    'messages:test-send',
    'coupons:write',
    'catalog:write',
    'profiles:import',
    'loyalty:adjust',
  ],
  analyst: [...reads, 'analytics:run'],
  privacy: ['profiles:read', 'profiles:erase', 'audit:read', 'approvals:read', 'settings:read', 'api:read'],
};

const granted = new Map(ROLES.map((role) => [role, new Set<Permission>(GRANTS[role])]));

/** The caller of an admin route: an API token or (in AWS) a person signed in through Cognito. */
export type Actor = {
  kind: 'token' | 'person';
  /** The token's id or the person's Cognito `sub`. */
  id: string;
  /** The token's name or the person's e-mail. */
  name: string;
  role: Role;
  /** May decide approvals although the role alone would not allow it. */
  approver: boolean;
};

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/** Whether the actor may do what the permission covers; `approvals:decide` also follows the approver flag. */
export function mayDo(actor: Pick<Actor, 'role' | 'approver'>, permission: Permission): boolean {
  if (permission === 'approvals:decide' && actor.approver) return true;
  return granted.get(actor.role)?.has(permission) ?? false;
}

/**
 * A signed-in person's role from their Cognito groups (groups are named after the roles): the first of owner,
 * marketer, privacy, analyst they belong to; none, and they may do nothing. The `approver` group adds the flag.
 */
export const ROLE_PRECEDENCE: readonly Role[] = ['owner', 'marketer', 'privacy', 'analyst'];
export const APPROVER_GROUP = 'approver';

export function roleOfGroups(groups: readonly string[]): { role: Role; approver: boolean } | undefined {
  const role = ROLE_PRECEDENCE.find((r) => groups.includes(r));
  return role ? { role, approver: groups.includes(APPROVER_GROUP) } : undefined;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
