// Product recommendations from the archive: items bought together (by lift), recently viewed and not bought,
// popular in the customer's categories; never what they bought (but a consumable due again), never out of stock.

import { literal, type SqlDialect } from '../analytics/dialect.js';
import type { ReportEngine } from '../analytics/ports.js';
import type { Profile } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/ports.js';
import type { CatalogProduct } from './catalog.js';
import type { CatalogStore } from './ports.js';

export const MAX_RECOMMENDATIONS = 10;
/** A pair seen in one basket only is chance as often as affinity; two baskets make a lift worth ranking by. */
export const MIN_PAIR_BASKETS = 2;
const RECENT_VIEW_DAYS = 30;

export type ProductInteraction = {
  customer: string;
  productId: string;
  kind: 'buy' | 'view';
  /** The order (a buy); products of one order form one basket. */
  basket?: string;
  at: string;
};

/** Every product bought (from `products[]` of the order event) or viewed in the last year, one row each. */
export function productInteractionsSql(d: SqlDialect, asOf: string, orderEvent: string): string {
  const since = new Date(Date.parse(asOf) - 365 * 86_400_000).toISOString().slice(0, 10);
  const ordered = d.orderedProducts('base');
  return `WITH base AS (SELECT DISTINCT id, customer, event, properties, ts FROM ${d.events} WHERE dt BETWEEN ${literal(since)} AND ${literal(asOf)} AND type = 'track' AND event IN (${[orderEvent, 'Product Viewed', 'Product Added'].map(literal).join(', ')}))
SELECT customer, 'buy' AS kind, coalesce(${d.property('order_id')}, id) AS basket, ts, ${ordered.productId} AS product_id FROM ${ordered.from} WHERE event = ${literal(orderEvent)}
UNION ALL
SELECT customer, 'view' AS kind, NULL AS basket, ts, ${d.property('product_id')} AS product_id FROM base WHERE event <> ${literal(orderEvent)}`;
}

export function interactionRows(rows: Record<string, unknown>[]): ProductInteraction[] {
  return rows.flatMap((r) =>
    typeof r.product_id === 'string' && r.product_id !== ''
      ? [
          {
            customer: String(r.customer),
            productId: r.product_id,
            kind: r.kind === 'buy' ? ('buy' as const) : ('view' as const),
            ...(r.basket ? { basket: String(r.basket) } : {}),
            at: String(r.ts),
          },
        ]
      : [],
  );
}

/** Lift of each co-bought pair: P(a and b in one basket) ÷ (P(a) · P(b)); above 1, bought together more than chance. */
export function coPurchaseLift(interactions: ProductInteraction[]): Map<string, Map<string, number>> {
  const baskets = new Map<string, Set<string>>();
  for (const i of interactions) {
    if (i.kind !== 'buy') continue;
    const key = `${i.customer}\u0000${i.basket ?? i.at}`;
    const basket = baskets.get(key) ?? new Set<string>();
    basket.add(i.productId);
    baskets.set(key, basket);
  }
  const single = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const basket of baskets.values()) {
    const items = [...basket];
    for (const a of items) {
      single.set(a, (single.get(a) ?? 0) + 1);
      for (const b of items) {
        if (a === b) continue;
        const row = pairs.get(a) ?? new Map<string, number>();
        row.set(b, (row.get(b) ?? 0) + 1);
        pairs.set(a, row);
      }
    }
  }
  const n = baskets.size;
  const lift = new Map<string, Map<string, number>>();
  for (const [a, row] of pairs) {
    const out = new Map<string, number>();
    for (const [b, together] of row) {
      if (together < MIN_PAIR_BASKETS) continue;
      out.set(b, (together * n) / (single.get(a)! * single.get(b)!));
    }
    if (out.size > 0) lift.set(a, out);
  }
  return lift;
}

/** Distinct buyers per product: the popularity order (and the most-popular baseline). */
export function popularity(interactions: ProductInteraction[]): Map<string, number> {
  const buyers = new Map<string, Set<string>>();
  for (const i of interactions) {
    if (i.kind !== 'buy') continue;
    const set = buyers.get(i.productId) ?? new Set<string>();
    set.add(i.customer);
    buyers.set(i.productId, set);
  }
  return new Map([...buyers].map(([id, set]) => [id, set.size]));
}

export type RecommendationModel = {
  lift: Map<string, Map<string, number>>;
  popular: Map<string, number>;
  catalog: Map<string, CatalogProduct>;
};

export function recommendationModel(
  interactions: ProductInteraction[],
  catalog: CatalogProduct[],
): RecommendationModel {
  return {
    lift: coPurchaseLift(interactions),
    popular: popularity(interactions),
    catalog: new Map(catalog.map((p) => [p.id, p])),
  };
}

/**
 * One customer's ranked list, in tiers: what others bought with what they bought (highest lift first), what they
 * looked at lately and did not buy (newest first), then the best sellers of the categories they browse and buy.
 */
export function recommendFor(
  own: ProductInteraction[],
  model: RecommendationModel,
  asOf: Date,
  limit = MAX_RECOMMENDATIONS,
): string[] {
  const lastBought = new Map<string, number>();
  const views: { id: string; at: number }[] = [];
  for (const i of own) {
    const at = Date.parse(i.at);
    if (i.kind === 'buy') lastBought.set(i.productId, Math.max(at, lastBought.get(i.productId) ?? 0));
    else views.push({ id: i.productId, at });
  }
  const offerable = (id: string) => {
    const product = model.catalog.get(id);
    // Not in the catalog: nothing to print (no name, no link); out of stock: an offer the shop cannot fill.
    if (!product || !product.inStock) return false;
    const bought = lastBought.get(id);
    if (bought === undefined) return true;
    return (
      product.consumable &&
      product.purchaseCycleDays !== undefined &&
      asOf.getTime() - bought >= product.purchaseCycleDays * 86_400_000
    );
  };

  const together = new Map<string, number>();
  for (const a of lastBought.keys())
    for (const [b, lift] of model.lift.get(a) ?? [])
      if (lift > 1) together.set(b, Math.max(lift, together.get(b) ?? 0));
  const byLift = [...together].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([id]) => id);

  const recentSince = asOf.getTime() - RECENT_VIEW_DAYS * 86_400_000;
  const recentlyViewed = views
    .filter((v) => v.at >= recentSince)
    .sort((x, y) => y.at - x.at)
    .map((v) => v.id);

  const categories = new Set(
    [...lastBought.keys(), ...views.map((v) => v.id)].flatMap((id) => model.catalog.get(id)?.category ?? []),
  );
  const inCategories = [...model.popular]
    .filter(([id]) => categories.has(model.catalog.get(id)?.category ?? '\u0000'))
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .map(([id]) => id);

  const ranked: string[] = [];
  for (const id of [...byLift, ...recentlyViewed, ...inCategories]) {
    if (ranked.length >= limit) break;
    if (!ranked.includes(id) && offerable(id)) ranked.push(id);
  }
  return ranked;
}

/** Interactions by customer, for recommending to each. */
export function byCustomer(interactions: ProductInteraction[]): Map<string, ProductInteraction[]> {
  const out = new Map<string, ProductInteraction[]>();
  for (const i of interactions) {
    const list = out.get(i.customer) ?? [];
    list.push(i);
    out.set(i.customer, list);
  }
  return out;
}

export type RecommendDeps = {
  reports: ReportEngine;
  profiles: ProfileStore;
  catalog: Pick<CatalogStore, 'list'>;
};

/** The nightly part that writes each known customer's list to their profile (an empty list clears a stale one). */
export async function refreshRecommendations(
  deps: RecommendDeps,
  orderEvent: string,
  asOf: Date,
): Promise<{ customers: number; profilesUpdated: number }> {
  const interactions = interactionRows(
    await deps.reports.query(productInteractionsSql(deps.reports.dialect, asOf.toISOString().slice(0, 10), orderEvent)),
  );
  const catalog: CatalogProduct[] = [];
  let after: string | undefined;
  do {
    const page = await deps.catalog.list(500, after);
    catalog.push(...page.products);
    after = page.next;
  } while (after);
  const model = recommendationModel(interactions, catalog);
  let updated = 0;
  const customers = byCustomer(interactions);
  for (const [customer, own] of customers) {
    if (!customer.startsWith('u:') && !customer.startsWith('a:')) continue;
    const list = recommendFor(own, model, asOf);
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await deps.profiles.get(customer as Profile['userKey']);
      if (stored?.kind !== 'profile') break;
      const same = JSON.stringify(stored.profile.recommendations ?? []) === JSON.stringify(list);
      if (same) break;
      const next: Profile = { ...stored.profile, recommendations: list, recommendedAt: asOf.toISOString() };
      if (
        (await deps.profiles.write({ profile: next, expectedVersion: stored.version, tombstones: [] })) === 'written'
      ) {
        updated++;
        break;
      }
    }
  }
  return { customers: customers.size, profilesUpdated: updated };
}
