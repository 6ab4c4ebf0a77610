// A synthetic shop for `npm run demo` and the report benchmark: customers who sign up through the year,
// browse with seasonal peaks, abandon carts, buy again or drift away, and spend with a power law (so the
// top fifth brings most of the revenue). Deterministic for a seed. Products come in bundles of three that are
// bought together, and each customer leans to one category, so recommendations have structure to find.

export type DemoMessage = Record<string, unknown> & { type: string; timestamp: string; messageId: string };

/** mulberry32: a small, fast, seedable generator (the demo must be the same every run). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Weight of each month (Jan…Dec): a spring sale, a summer lull, the year-end peak.
const SEASON = [0.8, 0.7, 1.0, 1.1, 0.9, 0.7, 0.6, 0.7, 0.9, 1.0, 1.5, 1.9];
const SOURCES = ['search', 'social', 'kakao', 'email', 'direct'];
const DEVICES = ['ios', 'android', 'web'];
const PRODUCTS = Array.from({ length: 60 }, (_, i) => ({
  id: `p${i + 1}`,
  category: ['mugs', 'tea', 'plates', 'linen'][i % 4],
  price: 8000 + (i % 12) * 4000,
}));

/** Products p1–p3, p4–p6, … are bundles: one of the other two of the product's three. */
function bundlePartner(product: (typeof PRODUCTS)[number], u: number): (typeof PRODUCTS)[number] {
  const index = PRODUCTS.indexOf(product);
  const first = index - (index % 3);
  const others = [first, first + 1, first + 2].filter((i) => i !== index);
  return PRODUCTS[others[Math.floor(u * 2)]];
}

/** The shop's products with their categories, as a catalog import would give them. */
export const SHOP_PRODUCTS = PRODUCTS;

export type ShopOptions = { customers: number; events: number; end: Date; seed?: number };

/**
 * Yields every customer's messages in time order per customer (customers one after another). About
 * `events` messages in all over the year before `end`.
 */
export function* syntheticShop(options: ShopOptions): Generator<DemoMessage[]> {
  const random = seeded(options.seed ?? 2026);
  const end = options.end.getTime();
  const start = end - 365 * 86_400_000;
  const perCustomer = options.events / options.customers;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  // A season-weighted instant between two times (rejection sampling on the month weight).
  const seasonal = (from: number, to: number) => {
    for (;;) {
      const t = from + random() * (to - from);
      if (random() * 1.9 < SEASON[new Date(t).getUTCMonth()]) return t;
    }
  };
  // Taste draws from a generator of their own, so the rest of the shop (sessions, orders, spend) stays as it was.
  const taste = seeded((options.seed ?? 2026) + 1);
  const CATEGORIES = [...new Set(PRODUCTS.map((p) => p.category))];
  let counter = 0;
  for (let c = 0; c < options.customers; c++) {
    const favourite = PRODUCTS.filter((p) => p.category === CATEGORIES[Math.floor(taste() * CATEGORIES.length)]);
    // 60 % of what a customer looks at is in their category; the same uniform draw picks either way.
    const browse = () => {
      const u = random();
      return taste() < 0.6 ? favourite[Math.floor(u * favourite.length)] : PRODUCTS[Math.floor(u * PRODUCTS.length)];
    };
    const userId = `demo-${c + 1}`;
    const messages: DemoMessage[] = [];
    const id = () => `demo-${options.seed ?? 2026}-${++counter}`;
    const signup = seasonal(start, end - 86_400_000);
    // Power-law spend level (Pareto with α = 1: close to the 80/20 shape) and a heavy-tailed activity level.
    const spend = Math.min(200, 1 / (1 - random() * 0.9999) ** (1 / 1.0));
    const activity = -Math.log(1 - random()) * 2.3;
    const source = pick(SOURCES);
    const device = pick(DEVICES);
    const consent = random() < 0.65;
    messages.push({
      type: 'identify',
      userId,
      messageId: id(),
      timestamp: new Date(signup).toISOString(),
      traits: {
        name: `고객${c + 1}`,
        email: `${userId}@example.com`,
        ...(random() < 0.5
          ? {
              phone: `010-${String(1000 + (c % 9000)).padStart(4, '0')}-${String(1000 + ((c * 7) % 9000)).padStart(4, '0')}`,
            }
          : {}),
      },
      context: {
        timezone: 'Asia/Seoul',
        locale: 'ko-KR',
        campaign: { source },
        device: { type: device },
        consent: {
          categoryPreferences: { email: consent, sms: consent, kakao: consent, push: consent, advertising: consent },
        },
      },
    });
    messages.push({
      type: 'track',
      userId,
      messageId: id(),
      timestamp: new Date(signup + 60_000).toISOString(),
      event: 'Signed Up',
      context: { campaign: { source }, device: { type: device } },
    });
    // Sessions until the budget of this customer's events is spent or they drift away.
    const budget = Math.max(3, Math.round(perCustomer * activity));
    let t = signup + 3600_000;
    let orders = 0;
    while (messages.length < budget && t < end) {
      t = Math.min(end - 1, t + seasonal(0, 86_400_000 * (3 + 25 * random())) - 0);
      if (t >= end - 1) break;
      const viewed = 1 + Math.floor(random() * 4);
      let at = t;
      const cart: (typeof PRODUCTS)[number][] = [];
      // Bundle partners that go into the order with a carted product (no event of their own: the session's
      // length, and so the rest of the generated shop, stays the same).
      const alongside: (typeof PRODUCTS)[number][] = [];
      for (let v = 0; v < viewed; v++) {
        const product = browse();
        at += 30_000 + random() * 240_000;
        messages.push({
          type: 'track',
          userId,
          messageId: id(),
          timestamp: new Date(at).toISOString(),
          event: 'Product Viewed',
          properties: { product_id: product.id, category: product.category, price: product.price },
          context: { campaign: { source }, device: { type: device } },
        });
        if (random() < 0.35) {
          cart.push(product);
          if (taste() < 0.5) alongside.push(bundlePartner(product, taste()));
          at += 20_000;
          messages.push({
            type: 'track',
            userId,
            messageId: id(),
            timestamp: new Date(at).toISOString(),
            event: 'Product Added',
            properties: { product_id: product.id, price: product.price, quantity: 1 },
            context: { device: { type: device } },
          });
        }
      }
      if (cart.length > 0 && random() < 0.55) {
        at += 60_000;
        messages.push({
          type: 'track',
          userId,
          messageId: id(),
          timestamp: new Date(at).toISOString(),
          event: 'Checkout Started',
          properties: { value: cart.reduce((s, p) => s + p.price, 0) },
          context: { device: { type: device } },
        });
        // Repeat buyers buy more readily; the spend level scales the basket.
        if (random() < 0.6 + Math.min(0.3, orders * 0.05)) {
          at += 120_000;
          const total = Math.round(cart.reduce((s, p) => s + p.price, 0) * spend * (0.6 + random() * 0.8));
          orders++;
          messages.push({
            type: 'track',
            userId,
            messageId: id(),
            timestamp: new Date(at).toISOString(),
            event: 'Order Completed',
            properties: {
              order_id: `o-${userId}-${orders}`,
              total,
              revenue: total,
              currency: 'KRW',
              products: [...cart, ...alongside.filter((p) => !cart.includes(p))].map((p) => ({
                product_id: p.id,
                price: p.price,
              })),
            },
            context: { campaign: { source }, device: { type: device } },
          });
        }
      }
      // Some drift away for good after a session.
      if (random() < 0.02) break;
      t = at;
    }
    yield messages;
  }
}
