// Coupons end to end through the local runtime: a journey's e-mail prints a claimed code, an order redeems it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_offers-e2e';
const ADMIN_TOKEN = 'rat_offers-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
});
afterAll(async () => {
  await runtime?.stop();
});

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);

describe('coupons through the local runtime', () => {
  it('sends each new customer their own code, refuses bad input naming the field, and counts the redemption', async () => {
    const pool = { id: 'first-order', name: 'First order', discount: '10% off the first order' };
    expect((await admin('POST', '/admin/v1/coupons', pool)).status).toBe(200);
    const refused = await admin('POST', '/admin/v1/coupons/first-order/codes', {
      generate: { pattern: 'AB', count: 5 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toMatch(/^body/);
    const loaded = await admin('POST', '/admin/v1/coupons/first-order/codes', {
      generate: { pattern: 'FIRST-XXXXXX', count: 100 },
    });
    expect(loaded.body).toMatchObject({ added: 100, duplicates: [], total: 100 });
    await admin('POST', '/admin/v1/templates', {
      id: 'first-order-code',
      name: 'First order code',
      channel: 'email',
      email: { subject: 'Welcome', html: '<p>Your code: <strong>{% coupon "first-order" %}</strong></p>' },
    });
    const journey = {
      id: 'first-order',
      name: 'First-order code',
      trigger: { kind: 'event', event: 'Signed Up' },
      start: 'send',
      steps: {
        // Transactional, so the local clock's hour (quiet hours) does not decide whether this test sends now.
        send: { type: 'send', channel: 'email', template: 'first-order-code', category: 'transactional', next: 'done' },
        done: { type: 'exit' },
      },
    };
    expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    const activated = await admin('POST', '/admin/v1/journeys/first-order/activate');
    expect(activated.body, JSON.stringify(activated.body)).toMatchObject({ status: 'active' });

    const signUp = (id: string) => [
      { type: 'identify', userId: id, traits: { email: `${id}@example.com` }, context: { timezone: 'Asia/Seoul' } },
      { type: 'track', userId: id, event: 'Signed Up' },
    ];
    await client().send([...signUp('c-1'), ...signUp('c-2')]);
    await client().advance('1m');
    const codeOf = async (id: string) => {
      const [message] = (await admin('GET', `/admin/v1/profiles/${id}/messages`)).body.messages;
      expect(message).toMatchObject({
        status: 'sent',
        coupons: { 'first-order': expect.stringMatching(/^FIRST-\w{6}$/) },
      });
      const code: string = message.coupons['first-order'];
      // The code the log names is the one the customer read.
      const mail = runtime.outbox.emails.find((e) => e.to === `${id}@example.com`)!;
      expect(mail.raw.replace(/=\r\n/g, '')).toContain(`Your code: <strong>${code}</strong>`);
      return code;
    };
    const [one, two] = [await codeOf('c-1'), await codeOf('c-2')];
    expect(one).not.toBe(two);

    await client().send([
      {
        type: 'track',
        userId: 'c-1',
        event: 'Order Completed',
        properties: { order_id: 'o-1', total: 42000, coupon: one },
      },
    ]);
    const report = await admin('GET', '/admin/v1/coupons/first-order');
    expect(report.body).toMatchObject({
      total: 100,
      issued: 2,
      remaining: 98,
      redeemed: 1,
      revenue: 42000,
      redemptionRate: 0.5,
    });
    expect(report.body.recent.find((c: { code: string }) => c.code === one)).toMatchObject({ orderId: 'o-1' });
    expect(runtimeErrors).toEqual([]);
  });
});

describe('the catalog through the local runtime', () => {
  it('learns products from commerce events, an older event never undoing a newer one', async () => {
    await client().send([
      {
        type: 'track',
        userId: 'shopper-1',
        event: 'Product Viewed',
        timestamp: '2026-12-01T10:00:00.000Z',
        properties: {
          product_id: 'tea-1',
          name: 'Green tea',
          price: 9000,
          category: 'tea',
          url: 'https://shop.example/tea-1',
        },
      },
      {
        type: 'track',
        userId: 'shopper-1',
        event: 'Order Completed',
        timestamp: '2026-12-01T10:05:00.000Z',
        properties: {
          order_id: 'o-9',
          products: [
            { product_id: 'tea-1', price: 8500, in_stock: false },
            { product_id: 'mug-1', name: 'Mug', price: 12000, category: 'mugs' },
          ],
        },
      },
      // Older than the order: it must not put the old price back.
      {
        type: 'track',
        userId: 'shopper-2',
        event: 'Product Added',
        timestamp: '2026-11-30T09:00:00.000Z',
        properties: { product_id: 'tea-1', price: 9900 },
      },
    ]);
    const tea = await admin('GET', '/admin/v1/catalog/tea-1');
    expect(tea.body).toMatchObject({
      id: 'tea-1',
      name: 'Green tea',
      price: 8500,
      category: 'tea',
      inStock: false,
      url: 'https://shop.example/tea-1',
      observedAt: '2026-12-01T10:05:00.000Z',
    });
    expect((await admin('GET', '/admin/v1/catalog/mug-1')).body).toMatchObject({ name: 'Mug', inStock: true });
    expect((await admin('GET', '/admin/v1/catalog/nothing')).status).toBe(404);
  });

  it('imports JSON and CSV all or nothing, naming the bad row and field, and pages the list', async () => {
    const csv = [
      'product_id,name,price,category,url,in_stock,consumable,purchase_cycle_days',
      'bean-1,"House blend, 1kg","32,000",coffee,https://shop.example/bean-1,yes,yes,30',
      'bean-2,Decaf,28000,coffee,https://shop.example/bean-2,no,,',
    ].join('\n');
    const imported = await admin('POST', '/admin/v1/catalog', { csv });
    expect(imported.body).toEqual({ imported: 2, ids: ['bean-1', 'bean-2'] });
    expect((await admin('GET', '/admin/v1/catalog/bean-1')).body).toMatchObject({
      name: 'House blend, 1kg',
      price: 32000,
      inStock: true,
      consumable: true,
      purchaseCycleDays: 30,
    });

    const bad = await admin('POST', '/admin/v1/catalog', [
      { id: 'plate-1', name: 'Plate', price: 15000 },
      { id: 'plate-2', name: 'Plate', price: -3 },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'body.1.price', message: expect.stringMatching(/^row 2, price/) });
    // Nothing of the rejected batch was written.
    expect((await admin('GET', '/admin/v1/catalog/plate-1')).status).toBe(404);
    const badCsv = await admin('POST', '/admin/v1/catalog', { csv: 'product_id,colour\nx-1,red' });
    expect(badCsv.body.error).toMatchObject({ field: 'body.csv', message: expect.stringContaining('"colour"') });

    const put = await admin('PUT', '/admin/v1/catalog/bean-2', { id: 'bean-2', name: 'Decaf', inStock: true });
    expect(put.body).toMatchObject({ id: 'bean-2', inStock: true, consumable: false });
    expect((await admin('PUT', '/admin/v1/catalog/bean-2', { id: 'bean-3' })).status).toBe(400);

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await admin('GET', `/admin/v1/catalog?limit=2${after ? `&after=${after}` : ''}`);
      expect(page.body.products.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.products.map((p: { id: string }) => p.id));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(expect.arrayContaining(['bean-1', 'bean-2', 'mug-1', 'tea-1']));
    expect(new Set(seen).size).toBe(seen.length);
    expect(runtimeErrors).toEqual([]);
  });
});

describe('recommendations through the local runtime', () => {
  it('writes a list that excludes what the customer bought and prints it as catalog products in an e-mail', async () => {
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const order = (userId: string, orderId: string, ids: string[], at: string) => ({
      type: 'track',
      userId,
      event: 'Order Completed',
      timestamp: at,
      properties: {
        order_id: orderId,
        products: ids.map((id) => ({ product_id: id, name: `Item ${id}`, price: 10000, category: 'kitchen' })),
      },
    });
    await client().send([
      { type: 'identify', userId: 'rec-4', traits: { email: 'rec-4@example.com' } },
      order('rec-1', 'ro-1', ['tea-9', 'mug-9'], day(5)),
      order('rec-2', 'ro-2', ['tea-9', 'mug-9'], day(5)),
      order('rec-3', 'ro-3', ['tea-9', 'mug-9'], day(4)),
      order('rec-5', 'ro-5', ['plate-9'], day(4)),
      order('rec-4', 'ro-4', ['tea-9'], day(3)),
      {
        type: 'track',
        userId: 'rec-4',
        event: 'Product Viewed',
        timestamp: day(2),
        properties: { product_id: 'cup-9', name: 'Cup', category: 'kitchen', url: 'https://shop.example/cup-9' },
      },
    ]);
    const refreshed = await admin('POST', '/admin/v1/analytics/refresh');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.recommended).toBeGreaterThan(0);
    const profile = (await admin('GET', '/admin/v1/profiles/rec-4')).body;
    // mug-9 is bought with tea-9 more than chance (lift 1.25); cup-9 was viewed; tea-9 was bought.
    expect(profile.recommendations.slice(0, 2)).toEqual(['mug-9', 'cup-9']);
    expect(profile.recommendations).not.toContain('tea-9');

    await admin('POST', '/admin/v1/templates', {
      id: 'picked-for-you',
      name: 'Picked for you',
      channel: 'email',
      email: {
        subject: 'Picked for you',
        html: '<ul>{% for p in recommendations limit: 2 %}<li>{{ p.name }} {{ p.id }}</li>{% endfor %}</ul>',
      },
    });
    const journey = {
      id: 'picked-for-you',
      name: 'Picked for you',
      trigger: { kind: 'event', event: 'Asked For Picks' },
      start: 'send',
      steps: {
        send: { type: 'send', channel: 'email', template: 'picked-for-you', category: 'transactional', next: 'done' },
        done: { type: 'exit' },
      },
    };
    expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    await admin('POST', '/admin/v1/journeys/picked-for-you/activate');
    await client().send([{ type: 'track', userId: 'rec-4', event: 'Asked For Picks' }]);
    await client().advance('1m');
    const mail = runtime.outbox.emails.find((e) => e.to === 'rec-4@example.com');
    expect(mail?.raw.replace(/=\r\n/g, '')).toContain('<li>Item mug-9 mug-9</li><li>Cup cup-9</li>');
    expect(runtimeErrors).toEqual([]);
  });
});
