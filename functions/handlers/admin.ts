// The admin API's handler: the route table's admin entries, each parsed by the dispatcher from
// its contract and answered by the one implementation attached to it here.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DeliveryDeps } from '../core/delivery/deliverMessage.js';
import { permissionsOf } from '../core/team/roles.js';
import { openApiDocument } from '../routes/openApi.js';
import { broadcastRoutes } from './admin/broadcastRoutes.js';
import { customerRoutes } from './admin/customerRoutes.js';
import { deliveryRoutes } from './admin/deliveryRoutes.js';
import type { AdminDeps } from './admin/deps.js';
import { auditTrail } from './admin/auditTrail.js';
import { adminDispatcher, type AdminImplementations, type SomeImplementations } from './admin/dispatch.js';
import { journeyRoutes } from './admin/journeyRoutes.js';
import { offerRoutes } from './admin/offerRoutes.js';
import { reportRoutes } from './admin/reportRoutes.js';
import { consentRoutes } from './admin/consentRoutes.js';
import { importRoutes } from './admin/importRoutes.js';
import { loyaltyRoutes } from './admin/loyaltyRoutes.js';
import { auditRoutes } from './admin/auditRoutes.js';
import { approvalRoutes } from './admin/approvalRoutes.js';
import { httpErrorResponses, jsonResponse } from './middleware/httpErrorResponses.js';
import { jsonBody, type JsonBodyEvent } from './middleware/jsonBody.js';

export type { AdminDeps } from './admin/deps.js';

/** Each module's implementations, apart, so a test can prove no route is implemented twice. */
export function adminImplementationGroups(deps: AdminDeps, logger: Logger, delivery?: DeliveryDeps) {
  return {
    customers: customerRoutes(deps, logger),
    journeys: journeyRoutes(deps, delivery),
    delivery: deliveryRoutes(deps, delivery),
    broadcasts: broadcastRoutes(deps, delivery),
    reports: reportRoutes(deps),
    offers: offerRoutes(deps),
    meta: {
      getOpenApiDocument: async () => jsonResponse(200, openApiDocument()),
      getCaller: async ({ actor }) => jsonResponse(200, { actor, permissions: permissionsOf(actor.role) }),
    } satisfies SomeImplementations,
    consent: consentRoutes(deps),
    imports: importRoutes(deps),
    loyalty: loyaltyRoutes(deps),
    audit: auditRoutes(deps),
    approvals: approvalRoutes(deps, delivery),
  };
}

/** `delivery`: what template previews and test sends use; without it they cannot send. */
export function createAdminHandler(deps: AdminDeps, delivery?: DeliveryDeps) {
  const logger = new Logger({ serviceName: 'retain-admin' });
  const groups = adminImplementationGroups(deps, logger, delivery);
  const implementations: AdminImplementations = {
    ...groups.customers,
    ...groups.journeys,
    ...groups.delivery,
    ...groups.broadcasts,
    ...groups.reports,
    ...groups.offers,
    ...groups.meta,
    ...groups.consent,
    ...groups.imports,
    ...groups.loyalty,
    ...groups.audit,
    ...groups.approvals,
  };
  const dispatch = adminDispatcher(implementations, auditTrail(implementations, deps, logger));

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger))
    .use(httpErrorResponses(logger))
    .use(jsonBody({ maxBytes: 64 * 1024, optional: true }))
    .handler(async (event) => dispatch(event as JsonBodyEvent));
}
