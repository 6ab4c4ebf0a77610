// Admin route implementations for offers: coupon pools, loading their codes, and the pool report; the catalog.

import { parse as parseCsv } from 'csv-parse/sync';
import { productInputsOfCsv, validCatalogImport } from '../../core/offers/catalog.js';
import { generateCouponCodes } from '../../core/offers/coupon.js';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { assertSameId } from './parse.js';

export function offerRoutes(deps: AdminDeps) {
  const { coupons, catalog, clock, random } = deps;
  const stored = async (poolId: string) => {
    const pool = await coupons.getPool(poolId);
    if (!pool) throw new NotFoundError(`no coupon pool has the id ${poolId}`);
    return pool;
  };
  return {
    putCouponPool: async ({ body }) => jsonResponse(200, await coupons.putPool(body, clock.now())),
    listCouponPools: async () => jsonResponse(200, { pools: await coupons.listPools() }),
    getCouponReport: async ({ params: { poolId } }) => {
      const pool = await stored(poolId);
      const recent = await coupons.issuedCodes(poolId, 50);
      return jsonResponse(200, {
        ...pool,
        remaining: pool.total - pool.issued,
        redemptionRate: pool.issued > 0 ? pool.redeemed / pool.issued : null,
        meanHoursToRedeem: pool.redeemed > 0 ? pool.redeemSeconds / pool.redeemed / 3600 : null,
        recent,
      });
    },
    addCouponCodes: async ({ params: { poolId }, body }) => {
      await stored(poolId);
      const codes =
        'codes' in body ? body.codes : generateCouponCodes(body.generate.pattern, body.generate.count, random);
      const result = await coupons.addCodes(poolId, codes);
      return jsonResponse(200, { ...result, total: (await stored(poolId)).total });
    },
    importCatalog: async ({ body }) => {
      const products = validCatalogImport(catalogRowsOf(body));
      await catalog.put(products, clock.now());
      return jsonResponse(200, { imported: products.length, ids: products.map((p) => p.id) });
    },
    listCatalog: async ({ query }) => jsonResponse(200, await catalog.list(query.limit, query.after)),
    getCatalogProduct: async ({ params: { productId } }) => {
      const product = await catalog.get(productId);
      if (!product) throw new NotFoundError(`no product has the id ${productId}`);
      return jsonResponse(200, product);
    },
    putCatalogProduct: async ({ params: { productId }, body }) => {
      assertSameId(body.id, productId);
      const [product] = await catalog.put([body], clock.now());
      return jsonResponse(200, product);
    },
  } satisfies SomeImplementations;
}

/** A JSON array as it is; `{ csv }` split into records by csv-parse (quotes, embedded commas and newlines). */
function catalogRowsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && typeof (body as { csv?: unknown }).csv === 'string') {
    let records: string[][];
    try {
      records = parseCsv((body as { csv: string }).csv, {
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
      });
    } catch (error) {
      throw new InvalidRequestError(`body.csv: ${(error as Error).message}`, 'body.csv');
    }
    return productInputsOfCsv(records);
  }
  throw new InvalidRequestError('body: send a JSON array of products or { "csv": "…" }', 'body');
}
