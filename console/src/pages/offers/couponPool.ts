// What the coupon pages say of a pool beyond its counts: what is left, whether that is low, whether it ended.
import type { CouponPool } from './queries.js';

/** Codes not handed out yet; below the pool's alarm threshold the page flags it, as the low-codes alarm does. */
export const remainingOf = (pool: CouponPool) => Math.max(0, pool.total - pool.issued);
export const isLow = (pool: CouponPool) => pool.alertBelow > 0 && remainingOf(pool) < pool.alertBelow;
export const isExpired = (pool: CouponPool, now = Date.now()) =>
  pool.validUntil !== undefined && Date.parse(pool.validUntil) < now;
