// An order that names a coupon (`Order Completed` with `properties.coupon`) uses that code, once.

import type { UserKey } from '../events/userKey.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { revenueOf } from '../metrics/attributeConversions.js';
import type { MessageLog } from '../delivery/ports.js';
import { couponRedemptionCounts, dayOf } from '../metrics/counters.js';
import type { MessageMetrics } from '../metrics/ports.js';
import type { CouponStore } from './ports.js';

export const ORDER_COMPLETED = 'Order Completed';

/**
 * Marks each named code used by its order; a code this workspace never issued is ignored (shops also take codes
 * from elsewhere), and a replayed or repeated order changes nothing (the code is used once).
 */
export async function redeemCoupons(
  events: StoredEvent[],
  userKey: UserKey,
  deps: {
    coupons: Pick<CouponStore, 'redeem'>;
    messages: Pick<MessageLog, 'get'>;
    metrics: Pick<MessageMetrics, 'add'>;
  },
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
    if (result.kind !== 'redeemed') continue;
    redeemed++;
    // Counted under the journey step and variant whose message printed the code, so the A/B report can compare
    // offers by the orders that used them.
    const { userKey: holder, messageKey } = result.code;
    const message = holder && messageKey ? await deps.messages.get(holder as UserKey, messageKey) : undefined;
    if (message) await deps.metrics.add(message, dayOf(message.requestedAt), couponRedemptionCounts(revenueOf(event)));
  }
  return redeemed;
}
