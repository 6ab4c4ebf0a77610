// What a coupon pool's id and a coupon code may look like, and how many codes a request loads: kept apart from the schemas so the console's forms
// check the same patterns without loading zod.

export const COUPON_POOL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const COUPON_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

/** How many codes one `POST /admin/v1/coupons/{poolId}/codes` loads. */
export const MAX_CODES_PER_REQUEST = 2000;
