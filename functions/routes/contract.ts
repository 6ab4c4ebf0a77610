// The shape of one route in the table: what CDK, the local gateway, the admin dispatcher, the OpenAPI
// document and the console read. Schemas and words only: nothing here imports handler code or the AWS SDK.

import type * as z from 'zod';
import type { Permission } from '../core/team/permissions.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/**
 * `signed-link`: the request carries its own proof (an HMAC-signed token in the URL); `signed-body`: an HMAC
 * of the body in a header (the messaging provider's callbacks).
 */
export type RouteAuth = 'write-key' | 'admin-token' | 'signed-link' | 'signed-body';
export type RouteTarget = 'ingest' | 'admin' | 'unsubscribe' | 'provider-reports';

/** What an admin route may do, checked against the caller's role (core/team/roles.ts grants them). */
export type { Permission } from '../core/team/permissions.js';

export type RouteResponse = {
  description: string;
  /** The body's schema; none for an empty answer (204). */
  schema?: z.ZodType;
  /** `application/json` unless said otherwise. */
  contentType?: string;
  /** Further media types with the same meaning (a report as CSV). */
  alternatives?: Record<string, z.ZodType>;
};

export type RouteContract = {
  method: HttpMethod;
  path: string;
  target: RouteTarget;
  auth: RouteAuth;
  /** Group in the document (`journeys`, `reports`, …). */
  tag: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A request without a body is read as `{}` (so a schema's defaults apply). */
  bodyOptional?: boolean;
  /**
   * `use-case`: the schemas describe the input, but the use case checks it itself, because its refusal says
   * more than a 400 could (a journey answers 422 with every problem) or the schema depends on the path (reports).
   */
  checkedBy?: 'dispatcher' | 'use-case';
  responses: Record<number, RouteResponse>;
};

export type AdminRouteContract = RouteContract & { target: 'admin'; auth: 'admin-token'; permission: Permission };

/** Admin routes named by what they do; the name keys the route's implementation in the handler. */
export function adminRoutes<const T extends Record<string, Omit<AdminRouteContract, 'target' | 'auth'>>>(
  entries: T,
): { [K in keyof T]: T[K] & { target: 'admin'; auth: 'admin-token' } } {
  return Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [name, { ...entry, target: 'admin', auth: 'admin-token' }]),
  ) as { [K in keyof T]: T[K] & { target: 'admin'; auth: 'admin-token' } };
}
