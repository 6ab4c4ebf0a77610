// Admin route implementations for offers: coupon pools, loading their codes, and the pool report.

import { generateCouponCodes } from '../../core/offers/coupon.js';
import { NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

export function offerRoutes(deps: AdminDeps) {
  const { coupons, clock, random } = deps;
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
  } satisfies SomeImplementations;
}
