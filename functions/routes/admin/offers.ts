// The table's admin routes for offers: coupon pools, their codes, and how the codes did.

import * as z from 'zod';
import {
  type CouponCode,
  type CouponPool,
  COUPON_CODE,
  couponPatternSchema,
  couponPoolDefinitionSchema,
} from '../../core/offers/coupon.js';
import { adminRoutes } from '../contract.js';
import type { Assert, Same } from '../shapes.js';

const definition = couponPoolDefinitionSchema.meta({ id: 'CouponPoolDefinition' });
const pool = definition
  .extend({
    total: z.number().meta({ description: 'Codes loaded.' }),
    issued: z.number().meta({ description: 'Codes handed out in messages.' }),
    redeemed: z.number().meta({ description: 'Codes used by an order (`Order Completed` with `properties.coupon`).' }),
    revenue: z.number().meta({ description: 'Revenue of the orders that redeemed a code.' }),
    redeemSeconds: z.number().meta({ description: 'Seconds from issue to redemption, summed.' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CouponPool' });
const code = z
  .object({
    code: z.string(),
    userKey: z.string().optional(),
    messageKey: z.string().optional(),
    issuedAt: z.iso.datetime().optional(),
    redeemedAt: z.iso.datetime().optional(),
    orderId: z.string().optional(),
    revenue: z.number().optional(),
  })
  .meta({ id: 'CouponCode' });
const report = pool
  .extend({
    remaining: z.number(),
    redemptionRate: z.number().nullable().meta({ description: 'Redeemed ÷ issued; null before any was issued.' }),
    meanHoursToRedeem: z.number().nullable(),
    recent: z.array(code).meta({ description: 'The last codes handed out (at most 50), who got them, and their use.' }),
  })
  .meta({ id: 'CouponReport' });

export type ResponseSchemasMatch = [
  Assert<Same<z.output<typeof pool>, CouponPool>>,
  Assert<Same<z.output<typeof code>, CouponCode>>,
];

const poolParams = z.object({ poolId: z.string().max(64) });

export const offerRoutes = adminRoutes({
  putCouponPool: {
    method: 'POST',
    path: '/admin/v1/coupons',
    permission: 'coupons:write',
    tag: 'offers',
    summary: 'Create or change a coupon pool',
    description:
      'A pool of unique codes a template hands out with `{% coupon "<id>" %}`: one per customer (the same one back ' +
      'while it is unused and the pool valid), never two for one message. Changing a pool keeps its codes and counts.',
    body: definition,
    responses: { 200: { description: 'The pool.', schema: pool } },
  },
  listCouponPools: {
    method: 'GET',
    path: '/admin/v1/coupons',
    permission: 'coupons:read',
    tag: 'offers',
    summary: 'List coupon pools',
    description: 'Every pool with its counts.',
    responses: { 200: { description: 'The pools.', schema: z.object({ pools: z.array(pool) }) } },
  },
  getCouponReport: {
    method: 'GET',
    path: '/admin/v1/coupons/{poolId}',
    permission: 'coupons:read',
    tag: 'offers',
    summary: 'A coupon pool and how its codes did',
    description:
      'Issued, redeemed, the redemption rate, revenue, the mean time to redeem, and the last codes handed out.',
    params: poolParams,
    responses: {
      200: { description: 'The report.', schema: report },
    },
  },
  addCouponCodes: {
    method: 'POST',
    path: '/admin/v1/coupons/{poolId}/codes',
    permission: 'coupons:write',
    tag: 'offers',
    summary: 'Load codes into a pool',
    description:
      'Codes you were given (`codes`, at most 2,000 a request: upload a large file in parts) or generated from a ' +
      'pattern (`generate`: `X` a letter or digit, `#` a digit, at most 10,000 a request). A code already in any ' +
      'pool is skipped and listed.',
    params: poolParams,
    body: z.union([
      z.object({ codes: z.array(z.string().regex(COUPON_CODE, 'letters, digits, - and _, 3–64')).min(1).max(2000) }),
      z.object({ generate: z.object({ pattern: couponPatternSchema, count: z.number().int().min(1).max(10_000) }) }),
    ]),
    responses: {
      200: {
        description: 'What was added.',
        schema: z.object({ added: z.number(), duplicates: z.array(z.string()), total: z.number() }),
      },
    },
  },
});
