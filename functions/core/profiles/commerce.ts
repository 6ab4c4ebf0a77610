// Commerce aggregates from the Segment e-commerce spec events: orders, revenue, last viewed product, cart.

import type { CartItem, ComputedAttributes, Product } from './profile.js';
import { PROFILE_LIMITS } from './profile.js';
import { MAX_MONEY } from '../events/limits.js';

export const ORDER_COMPLETED = 'Order Completed';
const CART_EVENTS = new Set(['Product Viewed', 'Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started']);

export function isCommerceEvent(event: string): boolean {
  return event === ORDER_COMPLETED || CART_EVENTS.has(event);
}

/** Applies one commerce event to the computed attributes (a working copy). */
export function applyCommerceEvent(
  computed: ComputedAttributes,
  event: string,
  properties: Record<string, unknown>,
  at: string,
): void {
  switch (event) {
    case ORDER_COMPLETED: {
      computed.orders += 1;
      computed.revenue = roundMoney(computed.revenue + orderRevenue(properties));
      computed.averageOrderValue = roundMoney(computed.revenue / computed.orders);
      if (!computed.firstOrderAt || at < computed.firstOrderAt) computed.firstOrderAt = at;
      if (!computed.lastOrderAt || at > computed.lastOrderAt) computed.lastOrderAt = at;
      computed.cart = { items: [] };
      return;
    }
    case 'Product Viewed': {
      const product = productOf(properties);
      if (product) computed.lastViewedProduct = { ...product, at };
      return;
    }
    case 'Product Added': {
      const product = productOf(properties);
      if (!product) return;
      const quantity = positiveNumber(properties.quantity) ?? 1;
      const existing = computed.cart.items.find((i) => i.productId === product.productId);
      if (existing) existing.quantity += quantity;
      else computed.cart.items.push({ ...product, quantity });
      computed.cart.items = computed.cart.items.slice(-PROFILE_LIMITS.cartItems);
      computed.cart.updatedAt = at;
      return;
    }
    case 'Product Removed': {
      const product = productOf(properties);
      if (!product) return;
      const quantity = positiveNumber(properties.quantity);
      const existing = computed.cart.items.find((i) => i.productId === product.productId);
      if (existing && quantity !== undefined && existing.quantity > quantity) existing.quantity -= quantity;
      else computed.cart.items = computed.cart.items.filter((i) => i.productId !== product.productId);
      computed.cart.updatedAt = at;
      return;
    }
    case 'Cart Viewed':
    case 'Checkout Started': {
      // Both carry the whole cart as `products`; it is the truth the client sees, so it replaces ours.
      if (Array.isArray(properties.products)) {
        computed.cart.items = cartItemsOf(properties.products);
        computed.cart.updatedAt = at;
      }
      if (event === 'Checkout Started') computed.cart.checkoutStartedAt = at;
      return;
    }
  }
}

/** Segment's `revenue` excludes shipping and tax, `total` includes them; the first present wins. */
export function orderRevenue(properties: Record<string, unknown>): number {
  const explicit = finiteNumber(properties.revenue) ?? finiteNumber(properties.total);
  if (explicit !== undefined) return explicit;
  if (!Array.isArray(properties.products)) return 0;
  return cartItemsOf(properties.products).reduce((sum, i) => sum + (i.price ?? 0) * i.quantity, 0);
}

function cartItemsOf(products: unknown[]): CartItem[] {
  const items: CartItem[] = [];
  for (const p of products.slice(0, PROFILE_LIMITS.cartItems)) {
    if (p === null || typeof p !== 'object') continue;
    const product = productOf(p as Record<string, unknown>);
    if (product) items.push({ ...product, quantity: positiveNumber((p as Record<string, unknown>).quantity) ?? 1 });
  }
  return items;
}

export function productOf(p: Record<string, unknown>): Product | undefined {
  const productId = idString(p.product_id) ?? idString(p.sku) ?? idString(p.id);
  if (productId === undefined) return undefined;
  const product: Product = { productId };
  const sku = idString(p.sku);
  if (sku !== undefined) product.sku = sku;
  for (const [from, to] of [
    ['name', 'name'],
    ['category', 'category'],
    ['brand', 'brand'],
    ['url', 'url'],
    ['image_url', 'imageUrl'],
  ] as const) {
    if (typeof p[from] === 'string') product[to] = (p[from] as string).slice(0, 1000);
  }
  const price = finiteNumber(p.price);
  if (price !== undefined) product.price = price;
  return product;
}

function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0) return v.slice(0, 255);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Apps send prices as numbers or numeric strings ("12000"); both count. Beyond ±MAX_MONEY is no amount:
 * ingest refuses it, and events stored before it did must not turn a customer's revenue into Infinity.
 */
function finiteNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= MAX_MONEY ? n : undefined;
}

function positiveNumber(v: unknown): number | undefined {
  const n = finiteNumber(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** Revenue sums many prices; keep it at cent precision so floating-point dust never shows in a report. */
function roundMoney(n: number): number {
  return Math.round(n * 100) / 100;
}
