// Every HTTP route, defined once: the CDK stack creates them and the local server matches them.

import { SHORT_ENDPOINTS } from './core/events/endpoints.js';

/**
 * `signed-link`: the request carries its own proof (an HMAC-signed token in the URL); `signed-body`: an HMAC
 * of the body in a header (the messaging provider's callbacks).
 */
export type RouteAuth = 'write-key' | 'admin-token' | 'signed-link' | 'signed-body';
export type RouteTarget = 'ingest' | 'admin' | 'unsubscribe' | 'provider-reports';
export type Route = { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; target: RouteTarget; auth: RouteAuth };

const INGEST_PATHS = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'].map((t) => `/v1/${t}`);

export const routes: Route[] = [
  // Segment libraries authenticate with the write key, which may also travel in the body; the ingest
  // handler checks it, because an API Gateway authorizer cannot read the body.
  ...INGEST_PATHS.map((path): Route => ({ method: 'POST', path, target: 'ingest', auth: 'write-key' })),
  // Segment's browser and mobile SDKs: one-letter aliases (`/v1/t`, …, `/v1/b`) and the settings document they
  // read at start (`cdnURL` / `cdnHost`). The write key in that path is public by design: it is in every page.
  ...Object.keys(SHORT_ENDPOINTS).map(
    (t): Route => ({ method: 'POST', path: `/v1/${t}`, target: 'ingest', auth: 'write-key' }),
  ),
  { method: 'GET', path: '/v1/projects/{writeKey}/settings', target: 'ingest', auth: 'write-key' },
  // The link in every marketing e-mail (RFC 8058 one-click: the POST acts, the GET asks).
  { method: 'GET', path: '/v1/unsubscribe', target: 'unsubscribe', auth: 'signed-link' },
  { method: 'POST', path: '/v1/unsubscribe', target: 'unsubscribe', auth: 'signed-link' },
  { method: 'POST', path: '/v1/provider-reports', target: 'provider-reports', auth: 'signed-body' },
  { method: 'POST', path: '/admin/v1/write-keys', target: 'admin', auth: 'admin-token' },
  { method: 'GET', path: '/admin/v1/write-keys', target: 'admin', auth: 'admin-token' },
  { method: 'DELETE', path: '/admin/v1/write-keys/{id}', target: 'admin', auth: 'admin-token' },
  { method: 'GET', path: '/admin/v1/profiles/{userId}', target: 'admin', auth: 'admin-token' },
  { method: 'GET', path: '/admin/v1/profiles/{userId}/events', target: 'admin', auth: 'admin-token' },
  { method: 'DELETE', path: '/admin/v1/profiles/{userId}', target: 'admin', auth: 'admin-token' },
  { method: 'GET', path: '/admin/v1/ingest-errors', target: 'admin', auth: 'admin-token' },
  ...(
    [
      ['POST', '/admin/v1/journeys'],
      ['GET', '/admin/v1/journeys'],
      ['POST', '/admin/v1/journeys/validate'],
      ['GET', '/admin/v1/journeys/{id}'],
      ['PUT', '/admin/v1/journeys/{id}'],
      ['DELETE', '/admin/v1/journeys/{id}'],
      ['GET', '/admin/v1/journeys/{id}/versions'],
      ['POST', '/admin/v1/journeys/{id}/activate'],
      ['POST', '/admin/v1/journeys/{id}/pause'],
      ['POST', '/admin/v1/journeys/{id}/archive'],
      ['POST', '/admin/v1/journeys/{id}/validate'],
      ['POST', '/admin/v1/journeys/{id}/simulate'],
      ['POST', '/admin/v1/journeys/{id}/enter'],
      ['GET', '/admin/v1/journeys/{id}/instances'],
      ['POST', '/admin/v1/segments'],
      ['GET', '/admin/v1/segments'],
      ['GET', '/admin/v1/segments/{id}'],
      ['PUT', '/admin/v1/segments/{id}'],
      ['DELETE', '/admin/v1/segments/{id}'],
      ['POST', '/admin/v1/segments/{id}/estimate'],
      ['POST', '/admin/v1/templates'],
      ['GET', '/admin/v1/templates'],
      ['GET', '/admin/v1/templates/{id}'],
      ['PUT', '/admin/v1/templates/{id}'],
      ['DELETE', '/admin/v1/templates/{id}'],
      ['POST', '/admin/v1/templates/{id}/preview'],
      ['POST', '/admin/v1/templates/{id}/test-send'],
      ['GET', '/admin/v1/settings'],
      ['PUT', '/admin/v1/settings'],
      ['GET', '/admin/v1/profiles/{userId}/messages'],
      ['POST', '/admin/v1/broadcasts'],
      ['GET', '/admin/v1/broadcasts'],
      ['GET', '/admin/v1/broadcasts/{id}'],
      ['PUT', '/admin/v1/broadcasts/{id}'],
      ['DELETE', '/admin/v1/broadcasts/{id}'],
      ['POST', '/admin/v1/broadcasts/{id}/check'],
      ['POST', '/admin/v1/broadcasts/{id}/test-send'],
      ['POST', '/admin/v1/broadcasts/{id}/send'],
      ['POST', '/admin/v1/broadcasts/{id}/cancel'],
      ['GET', '/admin/v1/reports/{name}'],
      ['POST', '/admin/v1/reports/{name}'],
      ['POST', '/admin/v1/analytics/refresh'],
      ['GET', '/admin/v1/analytics/model'],
    ] as const
  ).map(([method, path]): Route => ({ method, path, target: 'admin', auth: 'admin-token' })),
];

export const routeKey = (r: Pick<Route, 'method' | 'path'>) => `${r.method} ${r.path}`;

/** Matches a request against the route table the way API Gateway does, extracting path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | { allowed: string[] } {
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
    names.forEach((name, i) => (pathParameters[name] = decodeURIComponent(match[i + 1])));
    return { route, pathParameters };
  }
  return { allowed };
}
