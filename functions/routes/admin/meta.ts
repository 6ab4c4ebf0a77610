// The table's route for the contract itself.

import * as z from 'zod';
import { PERMISSIONS } from '../../core/team/permissions.js';
import { ROLES } from '../../core/team/roles.js';
import { adminRoutes } from '../contract.js';

const actor = z
  .object({
    kind: z.enum(['token', 'person']),
    id: z.string().meta({ description: 'The token’s id or the person’s Cognito `sub`.' }),
    name: z.string(),
    role: z.enum(ROLES),
    approver: z.boolean(),
  })
  .meta({ id: 'Actor', description: 'Who made a request: an API token or a signed-in person, with a role.' });

export { actor as actorSchema };

export const metaRoutes = adminRoutes({
  getCaller: {
    method: 'GET',
    path: '/admin/v1/me',
    permission: 'api:read',
    tag: 'meta',
    summary: 'Who is calling, and what they may do',
    description: 'The caller’s role and every permission it grants, so a client can hide what it may not use.',
    responses: {
      200: {
        description: 'The caller.',
        schema: z.object({ actor, permissions: z.array(z.enum(PERMISSIONS)) }),
      },
    },
  },
  getOpenApiDocument: {
    method: 'GET',
    path: '/admin/v1/openapi.json',
    permission: 'api:read',
    tag: 'meta',
    summary: 'This API’s OpenAPI document',
    description: 'The contract of every route, generated from the route table; the console’s client is built from it.',
    responses: { 200: { description: 'An OpenAPI 3.1 document.', schema: z.looseObject({ openapi: z.string() }) } },
  },
});
