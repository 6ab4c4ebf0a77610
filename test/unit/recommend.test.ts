// Recommendations on a fixture small enough to work out by hand: lift, the tiers, and what is never offered.
import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../functions/core/offers/catalog.js';
import {
  coPurchaseLift,
  recommendationModel,
  recommendFor,
  type ProductInteraction,
} from '../../functions/core/offers/recommend.js';
import { holdOutHitRate } from '../../functions/core/offers/holdOut.js';

const asOf = new Date('2026-12-04T00:00:00.000Z');
const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000).toISOString();
const buy = (customer: string, basket: string, productId: string, at = daysAgo(60)): ProductInteraction => ({
  customer,
  productId,
  kind: 'buy',
  basket,
  at,
});
const view = (customer: string, productId: string, at: string): ProductInteraction => ({
  customer,
  productId,
  kind: 'view',
  at,
});
const product = (id: string, category: string, extra: Partial<CatalogProduct> = {}): CatalogProduct => ({
  id,
  name: id,
  category,
  inStock: true,
  consumable: false,
  updatedAt: daysAgo(0),
  ...extra,
});

// Five baskets: tea+mug twice, tea+plate once, linen alone, and u:e's tea.
const history = (teaBoughtDaysAgo: number) => [
  buy('u:a', 'o1', 'tea'),
  buy('u:a', 'o1', 'mug'),
  buy('u:b', 'o2', 'tea'),
  buy('u:b', 'o2', 'mug'),
  buy('u:c', 'o3', 'tea'),
  buy('u:c', 'o3', 'plate'),
  buy('u:d', 'o4', 'linen'),
  buy('u:e', 'o5', 'tea', daysAgo(teaBoughtDaysAgo)),
  view('u:e', 'sold-out', daysAgo(1)),
  view('u:e', 'cup', daysAgo(2)),
  view('u:e', 'old-view', daysAgo(45)),
];
const catalog = [
  product('tea', 'tea', { consumable: true, purchaseCycleDays: 30 }),
  product('mug', 'mugs'),
  product('cup', 'mugs'),
  product('plate', 'plates'),
  product('linen', 'linen'),
  product('old-view', 'linen'),
  product('sold-out', 'mugs', { inStock: false }),
];

describe('recommendations', () => {
  it('ranks pairs by lift, not count, and ignores a pair seen in one basket only', () => {
    const lift = coPurchaseLift(history(10));
    // tea is in 4 of 5 baskets, mug in 2, together in 2: 2·5 / (4·2).
    expect(lift.get('mug')?.get('tea')).toBeCloseTo(1.25, 10);
    expect(lift.get('tea')?.get('mug')).toBeCloseTo(1.25, 10);
    expect(lift.get('tea')?.has('plate')).toBe(false);
  });

  it('offers what is bought with their purchase, then what they viewed lately, never the bought or sold out', () => {
    const model = recommendationModel(history(10), catalog);
    const own = history(10).filter((i) => i.customer === 'u:e');
    // mug by lift; cup viewed lately and in stock (sold-out is not; old-view is past 30 days, but its category
    // counts, so linen, its best seller, comes last); tea bought 10 days ago is within its 30-day cycle; plate
    // is outside the customer's categories.
    expect(recommendFor(own, model, asOf)).toEqual(['mug', 'cup', 'linen']);
  });

  it('offers a consumable again once its purchase cycle has passed', () => {
    const model = recommendationModel(history(40), catalog);
    const own = history(40).filter((i) => i.customer === 'u:e');
    // tea (4 buyers) outsells linen (1) in the customer's categories.
    expect(recommendFor(own, model, asOf)).toEqual(['mug', 'cup', 'tea', 'linen']);
  });
});

describe('the hold-out hit rate', () => {
  it('hides each repeat buyer’s last order and scores the top k against the best sellers', () => {
    // u:x and u:y first buy tea; their last orders hold mug (u:x) and plate (u:y). Training (all but those last
    // orders): tea+mug in o1, o2; tea in x1, y1; linen in o4 and o5 (two buyers, the best seller after tea).
    const interactions = [
      buy('u:a', 'o1', 'tea'),
      buy('u:a', 'o1', 'mug'),
      buy('u:b', 'o2', 'tea'),
      buy('u:b', 'o2', 'mug'),
      buy('u:d', 'o4', 'linen'),
      buy('u:f', 'o5', 'linen'),
      buy('u:x', 'x1', 'tea', daysAgo(20)),
      buy('u:x', 'x2', 'mug', daysAgo(5)),
      buy('u:y', 'y1', 'tea', daysAgo(20)),
      buy('u:y', 'y2', 'plate', daysAgo(5)),
    ];
    const result = holdOutHitRate(interactions, catalog, 1);
    // Top 1 by lift for both is mug (lift 2·6 / (4·2) = 1.5): a hit for u:x only. The best sellers not yet
    // bought: linen and mug have 2 buyers each, linen first by id, a hit for neither.
    expect(result).toEqual({ customers: 2, k: 1, hitRate: 0.5, popularHitRate: 0 });
  });
});
