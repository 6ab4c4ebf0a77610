// The role × route matrix: every admin route of the table, called as every role through the real dispatcher.
import { describe, expect, it } from 'vitest';
import { ForbiddenError, InvalidRequestError } from '../../functions/core/errors.js';
import { PERMISSIONS, type Permission } from '../../functions/core/team/permissions.js';
import { mayDo, permissionsOf, ROLES, type Role } from '../../functions/core/team/roles.js';
import { adminDispatcher, type AdminImplementations } from '../../functions/handlers/admin/dispatch.js';
import type { JsonBodyEvent } from '../../functions/handlers/middleware/jsonBody.js';
import { adminContract, type AdminRouteName } from '../../functions/routes.js';
import { httpEvent } from '../support/awsEvents.js';

/**
 * Written out by hand, not derived from roles.ts: changing who may do what must change this table too, and a
 * permission the route table starts using without a row here fails the first test.
 */
const EXPECTED: Record<Permission, readonly Role[]> = {
  'keys:read': ['owner', 'analyst'],
  'keys:write': ['owner'],
  'profiles:read': ['owner', 'marketer', 'analyst', 'privacy'],
  'profiles:erase': ['owner', 'privacy'],
  'profiles:import': ['owner', 'marketer'],
  'loyalty:adjust': ['owner', 'marketer'],
  'journeys:read': ['owner', 'marketer', 'analyst'],
  'journeys:write': ['owner', 'marketer'],
  'segments:read': ['owner', 'marketer', 'analyst'],
  'segments:write': ['owner', 'marketer'],
  'templates:read': ['owner', 'marketer', 'analyst'],
  'templates:write': ['owner', 'marketer'],
  'messages:test-send': ['owner', 'marketer'],
  'settings:read': ['owner', 'marketer', 'analyst', 'privacy'],
  'settings:write': ['owner'],
  'broadcasts:read': ['owner', 'marketer', 'analyst'],
  'broadcasts:write': ['owner', 'marketer'],
  'broadcasts:send': ['owner', 'marketer'],
  'reports:read': ['owner', 'marketer', 'analyst'],
  'analytics:run': ['owner', 'analyst'],
  'coupons:read': ['owner', 'marketer', 'analyst'],
  'coupons:write': ['owner', 'marketer'],
  'catalog:read': ['owner', 'marketer', 'analyst'],
  'catalog:write': ['owner', 'marketer'],
  'audit:read': ['owner', 'analyst', 'privacy'],
  'approvals:read': ['owner', 'marketer', 'analyst', 'privacy'],
  'approvals:decide': ['owner'],
  'api:read': ['owner', 'marketer', 'analyst', 'privacy'],
};

const names = Object.keys(adminContract) as AdminRouteName[];

/** Every implementation answers 200 and records that it ran: the dispatcher alone decides who gets there. */
function recordingDispatcher() {
  const reached: AdminRouteName[] = [];
  const implementations = Object.fromEntries(
    names.map((name) => [
      name,
      async () => {
        reached.push(name);
        return { statusCode: 200 };
      },
    ]),
  ) as unknown as AdminImplementations;
  return { dispatch: adminDispatcher(implementations), reached };
}

/** No valid input needed: the permission is checked before any parsing. */
function requestTo(name: AdminRouteName, role: Role, approver = false): JsonBodyEvent {
  const route = adminContract[name];
  const path = route.path.replace(/\{(\w+)\}/g, (_, param: string) => `some-${param}`);
  return httpEvent({
    method: route.method,
    path,
    authorizer: { actorKind: 'token', credentialId: `token-${role}`, credentialName: role, role, approver },
  }) as JsonBodyEvent;
}

describe('the role × route matrix', () => {
  it('has a row for every permission the route table uses, and no permission without a route or a row', () => {
    const used = new Set(names.map((name) => adminContract[name].permission));
    for (const permission of used) expect(EXPECTED, permission).toHaveProperty(permission);
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
    for (const role of ROLES) {
      expect(permissionsOf(role).sort(), role).toEqual(PERMISSIONS.filter((p) => EXPECTED[p].includes(role)).sort());
    }
  });

  for (const role of ROLES) {
    it(`lets ${role} reach exactly the routes its permissions cover, and refuses the rest naming the permission`, async () => {
      const { dispatch, reached } = recordingDispatcher();
      const refused: string[] = [];
      for (const name of names) {
        const permission = adminContract[name].permission;
        const allowed = EXPECTED[permission].includes(role);
        const outcome = await dispatch(requestTo(name, role)).then(
          (answer) => answer,
          (error: unknown) => error,
        );
        if (allowed) {
          // Past the permission the request meets the route's schemas: an empty body may be a 400, never a 403.
          if (outcome instanceof InvalidRequestError) continue;
          expect(outcome, `${role} → ${name}`).toEqual({ statusCode: 200 });
        } else {
          expect(outcome, `${role} → ${name}`).toBeInstanceOf(ForbiddenError);
          expect((outcome as ForbiddenError).permission).toBe(permission);
          expect((outcome as ForbiddenError).message).toContain(permission);
          refused.push(name);
        }
      }
      for (const name of reached) expect(EXPECTED[adminContract[name].permission], name).toContain(role);
      expect(reached.length).toBeGreaterThan(0);
      if (role === 'owner') expect(refused).toEqual([]);
      else expect(refused.length).toBeGreaterThan(0);
    });
  }

  it('lets an approver token decide approvals whatever its role, and nothing more', () => {
    for (const role of ROLES) {
      expect(mayDo({ role, approver: true }, 'approvals:decide')).toBe(true);
      expect(mayDo({ role, approver: true }, 'keys:write')).toBe(role === 'owner');
    }
    expect(mayDo({ role: 'marketer', approver: false }, 'approvals:decide')).toBe(false);
  });

  it('refuses a request that never passed the authorizer instead of treating it as any role', async () => {
    const { dispatch, reached } = recordingDispatcher();
    const event = httpEvent({ method: 'GET', path: '/admin/v1/write-keys' }) as JsonBodyEvent;
    await expect(dispatch(event)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(reached).toEqual([]);
  });
});
