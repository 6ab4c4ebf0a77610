// Whether a send's coupon pools hold enough codes: the checklist's coupons item.

import { couponPoolsIn } from '../delivery/render.js';
import type { ChecklistItem } from '../broadcasts/broadcast.js';
import type { Template } from '../delivery/template.js';
import type { CouponStore } from './ports.js';

/** Every string of the templates (all channels and variants): where a `{% coupon %}` tag can stand. */
function sourcesOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) sourcesOf(v, into);
  return into;
}

/**
 * Passes when every pool the templates print has a code left for each recipient who may get the message. The
 * count is an upper bound: a customer who holds an unused code of the pool gets that one back.
 */
export async function couponSupplyItem(
  templates: Template[],
  recipients: number,
  deps: { coupons: Pick<CouponStore, 'getPool'> },
): Promise<ChecklistItem | undefined> {
  const poolIds = couponPoolsIn(sourcesOf(templates));
  if (poolIds.length === 0) return undefined;
  const pools = await Promise.all(poolIds.map(async (id) => ({ id, pool: await deps.coupons.getPool(id) })));
  const details = pools.map(({ id, pool }) => ({
    pool: id,
    remaining: pool ? pool.total - pool.issued : 0,
    needed: recipients,
    ...(pool?.validUntil ? { validUntil: pool.validUntil } : {}),
  }));
  const short = details.filter((d) => d.remaining < d.needed);
  const missing = pools.filter((p) => !p.pool).map((p) => p.id);
  const summary =
    missing.length > 0
      ? `no coupon pool ${missing.join(', ')}: POST /admin/v1/coupons`
      : short.length > 0
        ? short
            .map((d) => `coupon pool ${d.pool} has ${d.remaining} codes left for up to ${d.needed} recipients`)
            .join('; ')
        : details.map((d) => `${d.pool}: ${d.remaining} codes for up to ${d.needed} recipients`).join('; ');
  return { id: 'coupons', passed: missing.length === 0 && short.length === 0, summary, details };
}
