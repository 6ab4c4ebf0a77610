// The one route table: every HTTP route, defined once (contract entries under routes/). The CDK stack creates
// them, the local gateway matches them, the admin dispatcher parses with their schemas, OpenAPI documents them.

import type { RouteContract } from './routes/contract.js';
import { broadcastRoutes } from './routes/admin/broadcasts.js';
import { customerRoutes } from './routes/admin/customers.js';
import { deliveryRoutes } from './routes/admin/delivery.js';
import { journeyRoutes } from './routes/admin/journeys.js';
import { metaRoutes } from './routes/admin/meta.js';
import { offerRoutes } from './routes/admin/offers.js';
import { reportRoutes } from './routes/admin/reports.js';
import { publicRoutes } from './routes/public.js';
import { consentRoutes } from './routes/admin/consent.js';
import { importRoutes } from './routes/admin/imports.js';
import { loyaltyRoutes } from './routes/admin/loyalty.js';
import { auditRoutes } from './routes/admin/audit.js';
import { approvalRoutes } from './routes/admin/approvals.js';

export type { RouteAuth, RouteContract, RouteTarget } from './routes/contract.js';
export type Route = Pick<RouteContract, 'method' | 'path' | 'target' | 'auth'>;

/** The admin API by name; the admin handler attaches exactly one implementation to each name. */
export const adminContract = {
  ...customerRoutes,
  ...journeyRoutes,
  ...deliveryRoutes,
  ...broadcastRoutes,
  ...reportRoutes,
  ...offerRoutes,
  ...metaRoutes,
  ...consentRoutes,
  ...importRoutes,
  ...loyaltyRoutes,
  ...auditRoutes,
  ...approvalRoutes,
};
export type AdminRouteName = keyof typeof adminContract;

/** Every route by name (the name is the OpenAPI operationId). */
export const routeContracts: Record<string, RouteContract> = { ...publicRoutes, ...adminContract };

export const routes: RouteContract[] = Object.values(routeContracts);

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Matches a request against the route table the way API Gateway does, extracting path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: RouteContract; pathParameters: Record<string, string> } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const route of routes) {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of names.entries()) pathParameters[name] = decodeURIComponent(match[i + 1]);
    return { route, pathParameters };
  }
  return { allowed };
}
