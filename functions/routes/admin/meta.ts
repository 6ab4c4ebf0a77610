// The table's route for the contract itself.

import * as z from 'zod';
import { adminRoutes } from '../contract.js';

export const metaRoutes = adminRoutes({
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
