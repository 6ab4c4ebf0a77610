// The table's admin routes for offers: coupon pools, their codes, and how the codes did; the product catalog.

import * as z from 'zod';
import {
  type CouponCode,
  type CouponPool,
  COUPON_CODE,
  couponPatternSchema,
  couponPoolDefinitionSchema,
} from '../../core/offers/coupon.js';
import { type CatalogProduct, catalogProductSchema, MAX_IMPORT_PRODUCTS } from '../../core/offers/catalog.js';
import { MAX_CODES_PER_REQUEST } from '../../core/offers/couponPatterns.js';
import { adminRoutes } from '../contract.js';
import { type Assert, limitQuery, type Same } from '../shapes.js';

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

const productDefinition = catalogProductSchema.meta({ id: 'CatalogProductDefinition' });
const product = catalogProductSchema
  .extend({
    updatedAt: z.iso.datetime(),
    observedAt: z.iso
      .datetime()
      .optional()
      .meta({ description: 'The newest event or write that described it; older events do not change it.' }),
  })
  .meta({ id: 'CatalogProduct' });

export type ResponseSchemasMatch = [
  Assert<Same<z.output<typeof pool>, CouponPool>>,
  Assert<Same<z.output<typeof code>, CouponCode>>,
  Assert<Same<z.output<typeof product>, CatalogProduct>>,
];

const productParams = z.object({ productId: z.string().max(255) });

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
      z.object({
        codes: z
          .array(z.string().regex(COUPON_CODE, 'letters, digits, - and _, 3–64'))
          .min(1)
          .max(MAX_CODES_PER_REQUEST),
      }),
      z.object({ generate: z.object({ pattern: couponPatternSchema, count: z.number().int().min(1).max(10_000) }) }),
    ]),
    responses: {
      200: {
        description: 'What was added.',
        schema: z.object({ added: z.number(), duplicates: z.array(z.string()), total: z.number() }),
      },
    },
  },
  importCatalog: {
    method: 'POST',
    path: '/admin/v1/catalog',
    permission: 'catalog:write',
    tag: 'offers',
    summary: 'Import products into the catalog',
    description:
      `A JSON array of products, or \`{ "csv": "…" }\` with a header row (\`product_id,name,price,category,url,` +
      `image_url,in_stock,consumable,purchase_cycle_days\`). At most ${MAX_IMPORT_PRODUCTS} a request. All or ` +
      'nothing: every row is checked first, and the first bad one is a 400 naming its row and field. A product ' +
      "imported replaces what was stored for it; the shop's later events go on updating it.",
    body: z.union([
      z.array(productDefinition).max(MAX_IMPORT_PRODUCTS),
      z.object({ csv: z.string().min(1).meta({ description: 'The CSV text, its first row the column names.' }) }),
    ]),
    checkedBy: 'use-case',
    responses: {
      200: { description: 'What was imported.', schema: z.object({ imported: z.number(), ids: z.array(z.string()) }) },
    },
  },
  listCatalog: {
    method: 'GET',
    path: '/admin/v1/catalog',
    permission: 'catalog:read',
    tag: 'offers',
    summary: 'List the catalog',
    description: 'Products by id, a page at a time; pass `next` back as `after` for the next page.',
    query: limitQuery(500, 100).extend({ after: z.string().max(2000).optional() }),
    responses: {
      200: {
        description: 'A page of products.',
        schema: z.object({ products: z.array(product), next: z.string().optional() }),
      },
    },
  },
  getCatalogProduct: {
    method: 'GET',
    path: '/admin/v1/catalog/{productId}',
    permission: 'catalog:read',
    tag: 'offers',
    summary: 'One product of the catalog',
    description: 'As the events and imports left it.',
    params: productParams,
    responses: { 200: { description: 'The product.', schema: product } },
  },
  putCatalogProduct: {
    method: 'PUT',
    path: '/admin/v1/catalog/{productId}',
    permission: 'catalog:write',
    tag: 'offers',
    summary: 'Create or replace a product',
    description:
      'Sets every field (an absent one is cleared): how a shop marks a product out of stock or a consumable with ' +
      'its purchase cycle (which lets recommendations offer it again).',
    params: productParams,
    body: productDefinition,
    responses: { 200: { description: 'The product.', schema: product } },
  },
});
