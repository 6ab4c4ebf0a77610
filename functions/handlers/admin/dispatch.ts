// The admin dispatcher: finds the route's contract entry, refuses a caller whose role lacks its permission (403
// naming it), parses path, query and body with its schemas (a 400 names the field) and calls its implementation.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { mayDo, type Actor } from '../../core/team/roles.js';
import { adminContract, routeKey, type AdminRouteName } from '../../routes.js';
import type { AdminRouteContract } from '../../routes/contract.js';
import type { JsonBodyEvent } from '../middleware/jsonBody.js';
import { actorOf } from './actor.js';
import type { AroundAdminCall } from './auditTrail.js';
import { assertShallow, parse } from './parse.js';

type Parsed<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;
type RawQuery = Record<string, string | undefined>;

/** What an implementation receives: its inputs parsed by the contract (raw where the use case checks them). */
export type RouteInput<R> = {
  params: R extends { params: infer P } ? Parsed<P, never> : Record<string, never>;
  query: R extends { checkedBy: 'use-case' } ? RawQuery : R extends { query: infer Q } ? Parsed<Q, never> : RawQuery;
  body: R extends { checkedBy: 'use-case' } ? unknown : R extends { body: infer B } ? Parsed<B, never> : undefined;
  event: JsonBodyEvent;
  /** The caller, already allowed the route's permission. */
  actor: Actor;
};

export type Implementation<R> = (input: RouteInput<R>) => Promise<APIGatewayProxyStructuredResultV2>;

/** Exactly one implementation per admin route: a missing or an extra name does not compile. */
export type AdminImplementations = { [K in AdminRouteName]: Implementation<(typeof adminContract)[K]> };

/** A module's share of the implementations. */
export type SomeImplementations = Partial<AdminImplementations>;

/** `around`: what wraps each call once it is allowed and parsed (the audit trail). */
export function adminDispatcher(implementations: AdminImplementations, around?: AroundAdminCall) {
  const byKey = new Map(
    (Object.keys(adminContract) as AdminRouteName[]).map((name) => [routeKey(adminContract[name]), name]),
  );
  return async (event: JsonBodyEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const name = byKey.get(event.routeKey);
    if (!name) throw new NotFoundError(`no admin route ${event.routeKey}`);
    const route = adminContract[name] as AdminRouteContract;
    const actor = actorOf(event);
    // Before parsing: a caller who may not use the route learns nothing about its input from a 400. The refusal
    // still goes round `around`, unparsed, so the audit trail records the attempt.
    if (!mayDo(actor, route.permission)) {
      const refusal = new ForbiddenError(
        `the role ${actor.role} does not have the permission ${route.permission} that ${name} needs`,
        route.permission,
      );
      const refused = () => Promise.reject(refusal);
      if (!around) return refused();
      const raw = { params: event.pathParameters ?? {}, query: event.queryStringParameters ?? {}, body: undefined };
      return around({ name, route, input: { ...raw, event, actor } as RouteInput<unknown>, refused: true }, refused);
    }
    const raw = event.jsonBody ?? (route.bodyOptional ? {} : undefined);
    assertShallow(raw, 'body');
    const byContract = route.checkedBy !== 'use-case';
    const query = event.queryStringParameters ?? {};
    const input = {
      params: route.params ? parse(route.params, event.pathParameters ?? {}, 'path') : {},
      query: route.query && byContract ? parse(route.query, query, 'query') : query,
      body: route.body && byContract ? parse(route.body, raw, 'body') : event.jsonBody,
      event,
      actor,
    };
    const run = () => (implementations[name] as Implementation<unknown>)(input as RouteInput<unknown>);
    return around ? around({ name, route, input: input as RouteInput<unknown> }, run) : run();
  };
}
