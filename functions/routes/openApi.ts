// The OpenAPI 3.1 document of the whole API, generated from the route table: ingest and admin, their
// security schemes, and the error body with every stable code. It holds no secrets and no hosts.

import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { conditionSchema } from '../core/segments/condition.js';
import { routeContracts } from '../routes.js';
import type { RouteAuth, RouteContract } from './contract.js';
import { errorBody } from './shapes.js';

const SECURITY: Record<RouteAuth, ZodOpenApiOperationObject['security']> = {
  'write-key': [{ writeKey: [] }],
  'admin-token': [{ adminToken: [] }],
  // The proof travels in the request itself (a signed token in the link, a signature of the body).
  'signed-link': [],
  'signed-body': [{ providerSignature: [] }],
};

const gatewayRefusal = z.object({ message: z.string() }).meta({ id: 'GatewayRefusal' });
const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** The errors every route of its kind can answer, beside those its entry declares. */
function errorResponses(route: RouteContract): ZodOpenApiOperationObject['responses'] {
  const error = (description: string) => ({ description, content: json(errorBody) });
  const hasInput = route.params || route.query || route.body;
  return {
    ...(hasInput
      ? { 400: error('The request does not match its schema (`invalid_request`, `field` names where).') }
      : {}),
    ...(route.auth === 'admin-token'
      ? {
          401: { description: 'No admin token (answered by the gateway).', content: json(gatewayRefusal) },
          403: {
            description:
              'The token is not valid (answered by the gateway), or its role lacks the route’s permission ' +
              '(`forbidden`, with `permission` naming it).',
            content: json(z.union([errorBody, gatewayRefusal])),
          },
        }
      : route.auth === 'signed-link'
        ? {}
        : { 401: error('No valid credential (`unauthorized`).') }),
    ...(route.path.includes('{') ? { 404: error('The thing named in the path does not exist (`not_found`).') } : {}),
    ...(route.target === 'ingest'
      ? {
          413: error('The body or one message is over its size limit (`payload_too_large`).'),
          415: error('The body is not JSON (`unsupported_media_type`).'),
          503: error('The store refused the write after retries; retry (`unavailable`, with Retry-After).'),
        }
      : {}),
    default: error('Any other failure (`internal`): nothing internal is disclosed; quote the request id.'),
  };
}

function operation(name: string, route: RouteContract): ZodOpenApiOperationObject {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, r]) => [
      status,
      {
        description: r.description,
        ...(r.schema
          ? {
              content: {
                [r.contentType ?? 'application/json']: { schema: r.schema },
                ...Object.fromEntries(Object.entries(r.alternatives ?? {}).map(([type, schema]) => [type, { schema }])),
              },
            }
          : {}),
      },
    ]),
  );
  return {
    operationId: name,
    tags: [route.tag],
    summary: route.summary,
    description: route.description,
    security: SECURITY[route.auth],
    ...(route.params || route.query
      ? {
          requestParams: {
            ...(route.params ? { path: route.params } : {}),
            ...(route.query ? { query: route.query } : {}),
          },
        }
      : {}),
    ...(route.body ? { requestBody: { required: !route.bodyOptional, content: json(route.body) } } : {}),
    responses: { ...errorResponses(route), ...responses },
    ...('permission' in route ? { 'x-retain-permission': route.permission } : {}),
  };
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  // The condition schema is recursive: named, it becomes one component instead of an anonymous one per use.
  if (!z.globalRegistry.has(conditionSchema)) z.globalRegistry.add(conditionSchema, { id: 'Condition' });
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, route] of Object.entries(routeContracts)) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    paths[route.path] = { ...paths[route.path], [method]: operation(name, route) };
  }
  cached = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Retain API',
      version: '1',
      description:
        'Ingest (Segment-compatible, authenticated by a write key) and the admin API (a Bearer admin token). ' +
        'Every error answers `{success: false, error: {code, message, field?}}`; the codes are listed under ' +
        'the `Error` schema. Admin operations carry the permission they need as `x-retain-permission`.',
    },
    tags: [
      { name: 'ingest', description: 'Events from apps, servers and Segment libraries.' },
      { name: 'consent', description: 'Unsubscribe links and the messaging provider’s opt-out reports.' },
      { name: 'keys', description: 'Write keys and what ingest refused.' },
      { name: 'customers', description: 'Profiles, their events and messages, erasure.' },
      { name: 'journeys', description: 'Automated journeys: versions, lifecycle, simulation.' },
      { name: 'segments', description: 'Saved audiences.' },
      { name: 'templates', description: 'Messages per channel, preview and test send.' },
      { name: 'broadcasts', description: 'One-off sends with a pre-send checklist.' },
      { name: 'settings', description: 'The workspace’s sending settings.' },
      { name: 'reports', description: 'Live message reports, archive reports, the analytics refresh.' },
      { name: 'audit', description: 'Every admin write, on record for 400 days.' },
      { name: 'meta', description: 'This document.' },
    ],
    paths,
    components: {
      securitySchemes: {
        writeKey: {
          type: 'http',
          scheme: 'basic',
          description:
            'The write key as the user name with an empty password, as Segment libraries send it. The key may ' +
            'instead travel in the JSON body as `writeKey`.',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin API token: `Authorization: Bearer <token>`.',
        },
        providerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-retain-signature',
          description: '`sha256=` and the hex HMAC-SHA256 of `<x-retain-timestamp>.<body>` with the webhook secret.',
        },
      },
    },
  });
  return cached;
}
