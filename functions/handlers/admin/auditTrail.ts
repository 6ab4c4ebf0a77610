// The audit trail around every admin write (and every write refused for want of a permission): who called which
// route on what, the definition before and after, appended to the audit log and logged as one structured line.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { definitionChanges, type AuditEntry } from '../../core/audit/auditEntry.js';
import { NotFoundError, RetainError } from '../../core/errors.js';
import { anonymousUserKey, knownUserKey } from '../../core/events/userKey.js';
import { erasedCustomerHash } from '../../core/profiles/erasure.js';
import { adminContract, type AdminRouteName } from '../../routes.js';
import type { AdminRouteContract } from '../../routes/contract.js';
import { HTTP_STATUS } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { AdminImplementations, Implementation, RouteInput } from './dispatch.js';
import { parse } from './parse.js';

/**
 * What the dispatcher hands the trail: the call, parsed, and how to make it. `refused`: the caller's role lacks
 * the route's permission, `run` only throws the 403, and the input is left unparsed (raw path and query, no body).
 */
export type AdminCall = {
  name: AdminRouteName;
  route: AdminRouteContract;
  input: RouteInput<unknown>;
  refused?: boolean;
};
export type AroundAdminCall = (
  call: AdminCall,
  run: () => Promise<APIGatewayProxyStructuredResultV2>,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The reads whose answer is a definition worth diffing. Customer records are left out on purpose: the audit log
 * outlives an erasure, so it must never hold a profile.
 */
const DEFINITIONS = new Set<AdminRouteName>([
  'getJourney',
  'getTemplate',
  'getSegment',
  'getBroadcast',
  'getSettings',
  'getCatalogProduct',
]);

const definitionReads = (Object.keys(adminContract) as AdminRouteName[])
  .filter((name) => DEFINITIONS.has(name))
  .map((name) => ({ name, route: adminContract[name] as AdminRouteContract }));

/** A write is any call that is not a read: previews, validations, estimates and checks change nothing. */
export const isAuditedWrite = (route: AdminRouteContract) =>
  route.method !== 'GET' && !route.permission.endsWith(':read');

export function auditTrail(
  implementations: AdminImplementations,
  deps: Pick<AdminDeps, 'audit' | 'clock' | 'random'>,
  logger: Logger,
): AroundAdminCall {
  return async (call, run) => {
    if (!isAuditedWrite(call.route)) return run();
    // A refused call changed nothing: no definition to read before or after.
    const read = call.refused ? undefined : definitionReadOf(call, implementations);
    const before = read ? await read(undefined) : undefined;
    let response: APIGatewayProxyStructuredResultV2 | undefined;
    let failure: unknown;
    try {
      response = await run();
    } catch (error) {
      failure = error;
    }
    const status = response?.statusCode ?? statusOf(failure);
    const created = response && status < 400 ? createdIdOf(response) : undefined;
    const approval = response && status < 400 ? approvalIdOf(response) : undefined;
    const after = read && status < 400 ? await read(created) : undefined;
    const body = call.input.body as { force?: { reason?: unknown } } | undefined;
    const { event } = call.input;
    const entry: AuditEntry = {
      id: deps.random.id(),
      at: deps.clock.now().toISOString(),
      actor: {
        kind: call.input.actor.kind,
        id: call.input.actor.id,
        name: call.input.actor.name,
        role: call.input.actor.role,
      },
      route: call.name,
      method: call.route.method,
      path: call.route.path,
      ...targetOf(call, created),
      status,
      ...(failure ? { error: failure instanceof Error ? failure.message : String(failure) } : {}),
      ...(call.refused ? { refused: { permission: call.route.permission } } : {}),
      ...(event.requestContext?.requestId ? { requestId: event.requestContext.requestId } : {}),
      ...(event.requestContext?.http?.sourceIp ? { sourceIp: event.requestContext.http.sourceIp } : {}),
      ...(read ? definitionChanges(before, after) : {}),
      ...(typeof body?.force?.reason === 'string' ? { forced: body.force.reason } : {}),
      ...(approval ? { approval } : {}),
    };
    // The structured line is the copy CloudWatch keeps; the store is the one the API reads.
    logger.info('admin write', { audit: entry });
    try {
      await deps.audit.append(entry);
    } catch (error) {
      // The write itself has happened: failing the answer would invite a retry that does it twice.
      logger.error('audit entry not stored', { error: (error as Error).message, auditId: entry.id });
    }
    if (failure) throw failure;
    return response!;
  };
}

/**
 * The definition a write changes, read through its own GET: the route's path itself (PUT, DELETE), the path
 * without its action (`/journeys/{id}/activate`), or a created item under the collection it was posted to.
 */
function definitionReadOf(call: AdminCall, implementations: AdminImplementations) {
  const path = call.route.path;
  const candidates = [path, path.replace(/\/[a-z-]+$/, '')];
  const found =
    definitionReads.find((r) => candidates.includes(r.route.path)) ??
    definitionReads.find((r) => r.route.path.replace(/\/\{[^}]+\}$/, '') === path && r.route.path !== path);
  if (!found) return undefined;
  const paramName = /\{([^}]+)\}$/.exec(found.route.path)?.[1];
  const own = call.input.params as Record<string, string>;
  return async (createdId: string | undefined): Promise<unknown> => {
    const rawParams = paramName
      ? { [paramName]: own[paramName] ?? own.id ?? createdId ?? bodyId(call.input.body) }
      : {};
    if (paramName && typeof rawParams[paramName] !== 'string') return undefined;
    try {
      const params = found.route.params ? parse(found.route.params, rawParams, 'path') : {};
      const implementation = implementations[found.name] as Implementation<unknown>;
      const res = await implementation({ ...call.input, params, query: {}, body: undefined } as RouteInput<unknown>);
      return typeof res.body === 'string' ? JSON.parse(res.body) : undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}

function targetOf(call: AdminCall, createdId: string | undefined): Pick<AuditEntry, 'target'> {
  const params = call.input.params as Record<string, string>;
  if (params.userId) {
    const query = call.input.query as { idType?: string };
    const key = query.idType === 'anonymous' ? anonymousUserKey(params.userId) : knownUserKey(params.userId);
    return { target: `customer:${erasedCustomerHash(key)}` };
  }
  const own = Object.values(params)[0] ?? createdId ?? bodyId(call.input.body);
  if (own) return { target: own };
  if (call.route.path.endsWith('/settings')) return { target: 'settings' };
  return {};
}

function bodyId(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function createdIdOf(response: APIGatewayProxyStructuredResultV2): string | undefined {
  if (typeof response.body !== 'string' || !response.body.startsWith('{')) return undefined;
  try {
    const id = (JSON.parse(response.body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A send or an activation held for approval answers `{ approval: { id } }`. */
function approvalIdOf(response: APIGatewayProxyStructuredResultV2): string | undefined {
  if (typeof response.body !== 'string' || !response.body.startsWith('{"approval"')) return undefined;
  try {
    const id = (JSON.parse(response.body) as { approval?: { id?: unknown } }).approval?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function statusOf(error: unknown): number {
  return error instanceof RetainError ? HTTP_STATUS[error.code] : 500;
}
