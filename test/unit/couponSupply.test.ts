// A broadcast whose templates print coupons fails its checklist when a pool cannot cover every recipient.
import { describe, expect, it } from 'vitest';
import type { CouponPool } from '../../functions/core/offers/coupon.js';
import { couponSupplyItem } from '../../functions/core/offers/couponSupply.js';
import type { Template } from '../../functions/core/delivery/template.js';

const template = (html: string, variant?: string): Template =>
  ({
    id: 't',
    name: 'T',
    channel: 'email',
    email: { subject: 'Hi', html },
    variants: variant ? { B: { email: { subject: `{% coupon "${variant}" %}` } } } : {},
  }) as Template;
const pool = (id: string, total: number, issued: number): CouponPool => ({
  id,
  name: id,
  discount: '10%',
  perCustomerLimit: 1,
  alertBelow: 100,
  total,
  issued,
  redeemed: 0,
  revenue: 0,
  redeemSeconds: 0,
  createdAt: '2026-12-01T00:00:00.000Z',
});
const store = (pools: CouponPool[]) => ({ getPool: async (id: string) => pools.find((p) => p.id === id) });

describe('the coupons checklist item', () => {
  it('is absent when no template prints a coupon', async () => {
    expect(await couponSupplyItem([template('<p>Hello</p>')], 100, { coupons: store([]) })).toBeUndefined();
  });

  it('fails when a pool, in any variant, has fewer codes left than recipients, and names it', async () => {
    const templates = [template('<p>{% coupon "welcome-10" %}</p>', 'vip-20')];
    const enough = await couponSupplyItem(templates, 100, {
      coupons: store([pool('welcome-10', 500, 100), pool('vip-20', 200, 50)]),
    });
    expect(enough).toMatchObject({ id: 'coupons', passed: true });
    const short = await couponSupplyItem(templates, 100, {
      coupons: store([pool('welcome-10', 500, 100), pool('vip-20', 120, 50)]),
    });
    expect(short).toMatchObject({
      passed: false,
      summary: 'coupon pool vip-20 has 70 codes left for up to 100 recipients',
    });
    const missing = await couponSupplyItem(templates, 1, { coupons: store([pool('welcome-10', 5, 0)]) });
    expect(missing).toMatchObject({ passed: false, summary: 'no coupon pool vip-20: POST /admin/v1/coupons' });
  });
});
