// The offline measure of recommendations: hide each repeat buyer's last order, recommend from what came before,
// and count how often one of the top k was in that order, against offering everyone the best sellers.

import type { CatalogProduct } from './catalog.js';
import { byCustomer, popularity, type ProductInteraction, recommendationModel, recommendFor } from './recommend.js';

export type HitRate = { customers: number; k: number; hitRate: number; popularHitRate: number };

export function holdOutHitRate(interactions: ProductInteraction[], catalog: CatalogProduct[], k = 3): HitRate {
  const training: ProductInteraction[] = [];
  const heldOut = new Map<string, { at: string; products: Set<string>; own: ProductInteraction[] }>();
  for (const [customer, own] of byCustomer(interactions)) {
    const orders = new Map<string, string>();
    for (const i of own) if (i.kind === 'buy') orders.set(i.basket ?? i.at, i.at);
    // Only a customer with an earlier order has a history to recommend from.
    if (orders.size < 2) {
      training.push(...own);
      continue;
    }
    const [lastBasket, lastAt] = [...orders].sort((a, b) => a[1].localeCompare(b[1])).at(-1)!;
    const before = own.filter((i) => i.at < lastAt);
    const products = new Set(
      own.filter((i) => i.kind === 'buy' && (i.basket ?? i.at) === lastBasket).map((i) => i.productId),
    );
    training.push(...before);
    heldOut.set(customer, { at: lastAt, products, own: before });
  }
  const model = recommendationModel(training, catalog);
  const popular = [...popularity(training)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  let hits = 0;
  let popularHits = 0;
  for (const { at, products, own } of heldOut.values()) {
    const recommended = recommendFor(own, model, new Date(at), k);
    if (recommended.some((id) => products.has(id))) hits++;
    // The baseline obeys the same rule: nothing the customer already bought.
    const bought = new Set(own.filter((i) => i.kind === 'buy').map((i) => i.productId));
    const top = popular.filter((id) => !bought.has(id)).slice(0, k);
    if (top.some((id) => products.has(id))) popularHits++;
  }
  const n = heldOut.size;
  return { customers: n, k, hitRate: n ? hits / n : 0, popularHitRate: n ? popularHits / n : 0 };
}
