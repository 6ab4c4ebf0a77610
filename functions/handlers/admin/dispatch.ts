// The admin dispatcher: finds the route's contract entry, parses path, query and body with its schemas (a 400
// names the field) and calls the one implementation attached to it.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { NotFoundError } from '../../core/errors.js';
import { adminContract, routeKey, type AdminRouteName, type RouteContract } from '../../routes.js';
import type { JsonBodyEvent } from '../middleware/jsonBody.js';
import { assertShallow, parse } from './parse.js';

type Parsed<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;
type RawQuery = Record<string, string | undefined>;

/** What an implementation receives: its inputs parsed by the contract (raw where the use case checks them). */
export type RouteInput<R> = {
  params: R extends { params: infer P } ? Parsed<P, never> : Record<string, never>;
  query: R extends { checkedBy: 'use-case' } ? RawQuery : R extends { query: infer Q } ? Parsed<Q, never> : RawQuery;
  body: R extends { checkedBy: 'use-case' } ? unknown : R extends { body: infer B } ? Parsed<B, never> : undefined;
  event: JsonBodyEvent;
};

export type Implementation<R> = (input: RouteInput<R>) => Promise<APIGatewayProxyStructuredResultV2>;

/** Exactly one implementation per admin route: a missing or an extra name does not compile. */
export type AdminImplementations = { [K in AdminRouteName]: Implementation<(typeof adminContract)[K]> };

/** A module's share of the implementations. */
export type SomeImplementations = Partial<AdminImplementations>;

export function adminDispatcher(implementations: AdminImplementations) {
  const byKey = new Map(
    (Object.keys(adminContract) as AdminRouteName[]).map((name) => [routeKey(adminContract[name]), name]),
  );
  return async (event: JsonBodyEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const name = byKey.get(event.routeKey);
    if (!name) throw new NotFoundError(`no admin route ${event.routeKey}`);
    const route = adminContract[name] as RouteContract;
    const raw = event.jsonBody ?? (route.bodyOptional ? {} : undefined);
    assertShallow(raw, 'body');
    const byContract = route.checkedBy !== 'use-case';
    const query = event.queryStringParameters ?? {};
    const input = {
      params: route.params ? parse(route.params, event.pathParameters ?? {}, 'path') : {},
      query: route.query && byContract ? parse(route.query, query, 'query') : query,
      body: route.body && byContract ? parse(route.body, raw, 'body') : event.jsonBody,
      event,
    };
    return (implementations[name] as Implementation<unknown>)(input as RouteInput<unknown>);
  };
}
