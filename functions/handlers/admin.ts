// Lambda entry point of the admin API: one route table, each route a parse, one use case and a response.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { Credential } from '../core/credentials/credential.js';
import { issueCredential } from '../core/credentials/issueCredential.js';
import { anonymousUserKey, knownUserKey } from '../core/events/userKey.js';
import { eraseCustomer, recentEvents, viewProfile } from '../core/profiles/customerRecord.js';
import type { Adapters } from '../adapters/Adapters.js';
import { NotFoundError } from '../core/errors.js';
import { journeyRoutes } from './admin/journeyRoutes.js';
import { deliveryRoutes } from './admin/deliveryRoutes.js';
import { broadcastRoutes } from './admin/broadcastRoutes.js';
import { reportRoutes } from './admin/reportRoutes.js';
import type { DeliveryDeps } from '../core/delivery/deliverMessage.js';
import { parse } from './admin/parse.js';
import { httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { jsonBody, type JsonBodyEvent } from './middleware/jsonBody.js';

type Route = (event: JsonBodyEvent) => Promise<APIGatewayProxyStructuredResultV2>;


const newWriteKeySchema = z.object({ name: z.string().trim().min(1).max(100).default('default') }).default({ name: 'default' });
const profileQuerySchema = z.object({ idType: z.enum(['user', 'anonymous']).default('user') });
const limitQuerySchema = (max: number, fallback: number) =>
  z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) });

const publicCredential = ({ hash: _hash, ...rest }: Credential) => rest;

/** `delivery`: what template previews and test sends use; without it they cannot send. */
export function createAdminHandler(adapters: Adapters, delivery?: DeliveryDeps) {
  const logger = new Logger({ serviceName: 'retain-admin' });

  const userKeyFrom = (event: JsonBodyEvent) => {
    const { idType } = parse(profileQuerySchema, event.queryStringParameters ?? {}, 'query');
    const id = event.pathParameters?.userId ?? '';
    return idType === 'anonymous' ? anonymousUserKey(id) : knownUserKey(id);
  };

  const routes: Record<string, Route> = {
    'POST /admin/v1/write-keys': async (event) => {
      const { name } = parse(newWriteKeySchema, event.jsonBody, 'body');
      const { credential, secret } = await issueCredential('write-key', name, adapters);
      return jsonResponse(201, { ...publicCredential(credential), writeKey: secret });
    },
    'GET /admin/v1/write-keys': async () => {
      const keys = await adapters.credentials.list('write-key');
      return jsonResponse(200, { writeKeys: keys.map(publicCredential) });
    },
    'DELETE /admin/v1/write-keys/{id}': async (event) => {
      const id = event.pathParameters?.id ?? '';
      if (!(await adapters.credentials.delete('write-key', id))) throw new NotFoundError(`no write key has the id ${id}`);
      return { statusCode: 204 };
    },
    'GET /admin/v1/profiles/{userId}': async (event) => {
      const profile = await viewProfile(userKeyFrom(event), adapters);
      if (!profile) throw new NotFoundError(`no profile for ${event.pathParameters?.userId}; has an event for it been sent?`);
      return jsonResponse(200, profile);
    },
    'GET /admin/v1/profiles/{userId}/events': async (event) => {
      const { limit } = parse(limitQuerySchema(1000, 50), event.queryStringParameters ?? {}, 'query');
      const events = await recentEvents(userKeyFrom(event), limit, adapters);
      if (!events) throw new NotFoundError(`no profile for ${event.pathParameters?.userId}`);
      return jsonResponse(200, { events });
    },
    'DELETE /admin/v1/profiles/{userId}': async (event) => {
      const erasure = await eraseCustomer(userKeyFrom(event), adapters);
      if (!erasure.erased) throw new NotFoundError(`nothing is stored for ${event.pathParameters?.userId}`);
      logger.info('customer erased', { ...erasure });
      return jsonResponse(200, erasure);
    },
    'GET /admin/v1/ingest-errors': async (event) => {
      const { limit } = parse(limitQuerySchema(500, 100), event.queryStringParameters ?? {}, 'query');
      return jsonResponse(200, { errors: await adapters.ingestErrors.listRecent(limit) });
    },
    ...journeyRoutes(adapters, delivery),
    ...deliveryRoutes(adapters, delivery),
    ...broadcastRoutes(adapters, delivery),
    ...reportRoutes(adapters),
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrorResponses(logger))
    .use(jsonBody({ maxBytes: 64 * 1024, optional: true }))
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new NotFoundError(`no admin route ${event.routeKey}`);
      return route(event as JsonBodyEvent);
    });
}
