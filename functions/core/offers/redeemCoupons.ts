// An order that names a coupon (`Order Completed` with `properties.coupon`) uses that code, once.

import type { UserKey } from '../events/userKey.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { revenueOf } from '../metrics/attributeConversions.js';
import type { CouponStore } from './ports.js';

export const ORDER_COMPLETED = 'Order Completed';

/**
 * Marks each named code used by its order; a code this workspace never issued is ignored (shops also take codes
 * from elsewhere), and a replayed or repeated order changes nothing (the code is used once).
 */
export async function redeemCoupons(
  events: StoredEvent[],
  userKey: UserKey,
  deps: { coupons: Pick<CouponStore, 'redeem'> },
): Promise<number> {
  let redeemed = 0;
  for (const event of events) {
    if (event.type !== 'track' || event.event !== ORDER_COMPLETED) continue;
    const code = event.properties?.coupon;
    if (typeof code !== 'string' || code.trim() === '') continue;
    const orderId = event.properties?.order_id;
    const result = await deps.coupons.redeem(code.trim(), {
      userKey,
      ...(typeof orderId === 'string' ? { orderId } : {}),
      revenue: revenueOf(event),
      at: event.timestamp,
    });
    if (result.kind === 'redeemed') redeemed++;
  }
  return redeemed;
}
