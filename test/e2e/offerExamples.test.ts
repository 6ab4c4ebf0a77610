// The example welcome, repurchase and win-back journeys with their coupons and recommendations, end to end.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_offer-examples-e2e';
const ADMIN_TOKEN = 'rat_offer-examples-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const consent = { categoryPreferences: { email: true, push: true, advertising: true, nightAdvertising: true } };
/** An FCM registration token of the shape ingest keeps, one per customer. */
const tokenOf = (n: number) => `cHVzaC10ZXN0:APA91b${String.fromCharCode(65 + n).repeat(134)}`;
const product = (id: string, name: string, category: string) => ({
  product_id: id,
  name,
  price: 18000,
  category,
  url: `https://shop.example/p/${id}`,
});
const order = (userId: string, orderId: string, products: Record<string, unknown>[]) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  properties: { order_id: orderId, total: 18000 * products.length, products },
});
const beans = product('beans-1', '하우스 블렌드 원두', 'coffee');
const filter = product('filter-1', '드립 필터', 'coffee');
const mug = product('mug-2', '머그컵', 'kitchen');
const kettle = product('kettle-1', '드립 주전자', 'coffee');

const messagesOf = async (userId: string) =>
  (await admin('GET', `/admin/v1/profiles/${userId}/messages`)).body.messages as {
    template: string;
    status: string;
    variant?: string;
    coupons?: Record<string, string>;
  }[];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  expect(await postExampleCoupons(admin)).toEqual(
    expect.arrayContaining(['welcome-10', 'win-back-15', 'free-shipping']),
  );
  for (const file of readdirSync('examples/templates')) {
    const created = await admin('POST', '/admin/v1/templates', example(`examples/templates/${file}`));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
  });
  for (const name of ['welcome', 'repurchase', 'dormant-win-back']) {
    expect((await admin('POST', '/admin/v1/journeys', example(`examples/journeys/${name}.json`))).status).toBe(201);
    const activated = await admin('POST', `/admin/v1/journeys/${name}/activate`);
    expect(activated.body, JSON.stringify(activated.body.failing)).toMatchObject({ status: 'active' });
  }
  // Daytime in Seoul, so quiet hours defer nothing in the first test.
  const { now } = await client().advance('1m');
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(now)),
  );
  await client().advance(`${(10 - hour + 24) % 24 || 24}h`);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the offer examples through the local runtime', () => {
  it('welcome: one first-order code per customer, the same code however often the message is redelivered', async () => {
    await client().send([
      {
        type: 'identify',
        userId: 'w-1',
        traits: { name: '한지민', email: 'w-1@example.com' },
        context: { timezone: 'Asia/Seoul', consent },
      },
      { type: 'track', userId: 'w-1', event: 'Signed Up' },
    ]);
    await client().advance('11m');
    const [welcome] = await messagesOf('w-1');
    expect(welcome).toMatchObject({ template: 'welcome-coupon', status: 'sent' });
    const code = welcome!.coupons?.['welcome-10'];
    expect(code).toMatch(/^WELCOME-[A-Z0-9]{4}-\d{2}$/);
    const mailsTo = () => runtime.outbox.emails.filter((e) => e.to === 'w-1@example.com');
    expect(mailsTo()[0]!.raw.replace(/=\r\n/g, '')).toContain(`<strong>${code}</strong>`);

    // SQS delivers at least once: the same delivery request three more times.
    const request = runtime.outbox.requests.find((r) => r.userId === 'w-1' && r.template === 'welcome-coupon')!;
    for (let i = 0; i < 3; i++) await runtime.outbox.enqueue(request);
    await client().advance('1m');
    for (const mail of mailsTo()) {
      const printed = mail.raw.replace(/=\r\n/g, '').match(/WELCOME-[A-Z0-9]{4}-\d{2}/g);
      expect(new Set(printed)).toEqual(new Set([code]));
    }
    const pool = await admin('GET', '/admin/v1/coupons/welcome-10');
    expect(pool.body).toMatchObject({ issued: 1, redeemed: 0 });
    expect((await admin('GET', '/admin/v1/profiles/w-1')).body.traits).toMatchObject({ welcomed: true, points: 100 });

    await client().send([
      { ...order('w-1', 'wo-1', [mug]), properties: { order_id: 'wo-1', total: 18000, coupon: code } },
    ]);
    expect((await admin('GET', '/admin/v1/coupons/welcome-10')).body).toMatchObject({
      issued: 1,
      redeemed: 1,
      revenue: 18000,
    });
  });

  it('repurchase: the push names what is bought with the last order, never the product already bought', async () => {
    await client().send([
      order('rp-a', 'ra-1', [beans, filter]),
      order('rp-b', 'rb-1', [beans, filter]),
      order('rp-c', 'rc-1', [beans, filter, kettle]),
      order('rp-d', 'rd-1', [mug]),
      {
        type: 'identify',
        userId: 'r-1',
        traits: { name: '이도윤' },
        context: { timezone: 'Asia/Seoul', consent, device: { token: tokenOf(1), type: 'android' } },
      },
      order('r-1', 'r1-1', [beans]),
    ]);
    // The nightly refresh runs once an advance passes midnight (after the wake-ups it fired), so the first night
    // comes on its own; the push goes 30 days after the order, at 10:00.
    await client().advance('1d');
    await client().advance('30d');
    const recommendations = (await admin('GET', '/admin/v1/profiles/r-1')).body.recommendations as string[];
    expect(recommendations[0]).toBe('filter-1');
    expect(recommendations).not.toContain('beans-1');
    const pushed = runtime.outbox.pushes.filter((p) => p.token === tokenOf(1));
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ deepLink: 'https://shop.example/p/filter-1' });
    expect(pushed[0]!.body).toContain('드립 필터, 지금 만나보세요');
    expect(pushed[0]!.body).not.toContain('원두');
  });

  it('win-back: after 30 silent days a code of the variant’s pool and the product they looked at, none in control', async () => {
    const dormant = ['d-1', 'd-2', 'd-3', 'd-4', 'd-5', 'd-6'];
    await client().send(
      dormant.flatMap((userId, n) => [
        {
          type: 'identify',
          userId,
          traits: { name: `고객${n}` },
          context: { timezone: 'Asia/Seoul', consent, device: { token: tokenOf(10 + n), type: 'android' } },
        },
        { type: 'track', userId, event: 'Product Viewed', properties: kettle },
        { type: 'track', userId, event: 'Application Opened' },
      ]),
    );
    await client().advance('1d');
    // What the first night's refresh recommended is what the push, 30 days on, prints.
    const recommended = new Map<string, string[]>();
    for (const userId of dormant)
      recommended.set(userId, (await admin('GET', `/admin/v1/profiles/${userId}`)).body.recommendations);
    await client().advance('31d');
    const pools = { percent: 'win-back-15', shipping: 'free-shipping' } as const;
    let offered = 0;
    for (const [n, userId] of dormant.entries()) {
      const { instances } = (await admin('GET', `/admin/v1/journeys/dormant-win-back/instances?userId=${userId}`)).body;
      const variant = instances.find((i: { status: string }) => i.status === 'completed')?.variant as
        | 'percent'
        | 'shipping'
        | 'control';
      expect(['percent', 'shipping', 'control']).toContain(variant);
      const pushes = runtime.outbox.pushes.filter((p) => p.token === tokenOf(10 + n));
      if (variant === 'control') {
        expect(pushes).toEqual([]);
        continue;
      }
      offered++;
      const [message] = (await messagesOf(userId)).filter((m) => m.template.startsWith('win-back'));
      const code = message?.coupons?.[pools[variant]];
      expect(code, JSON.stringify(message)).toBeTruthy();
      expect(pushes).toHaveLength(1);
      expect(pushes[0]!.body).toContain(code!);
      const recommendations = recommended.get(userId)!;
      expect(recommendations).toContain('kettle-1');
      const first = (await admin('GET', `/admin/v1/catalog/${recommendations[0]}`)).body;
      expect(pushes[0]!.body).toContain(`놓치신 상품: ${first.name}`);
    }
    expect(offered).toBeGreaterThan(0);

    // The first offered customer orders with their code: the A/B report counts it under their variant.
    const codes = new Map<string, { variant: string; code: string }>();
    for (const userId of dormant) {
      const [message] = (await messagesOf(userId)).filter((m) => m.template.startsWith('win-back'));
      const [code] = Object.values(message?.coupons ?? {});
      if (code && message?.variant) codes.set(userId, { variant: message.variant, code });
    }
    const [buyer, used] = [...codes.entries()][0]!;
    await client().send([
      { ...order(buyer, 'back-1', [kettle]), properties: { order_id: 'back-1', total: 45000, coupon: used.code } },
    ]);
    const ab = await admin('GET', '/admin/v1/reports/ab-test?journeyId=dormant-win-back');
    expect(ab.status, JSON.stringify(ab.body)).toBe(200);
    for (const variant of ['percent', 'shipping']) {
      const arm = ab.body.arms.find((a: { variant: string }) => a.variant === variant);
      const issued = [...codes.values()].filter((c) => c.variant === variant).length;
      const redeemed = used.variant === variant ? 1 : 0;
      if (issued === 0) expect(arm?.coupons).toBeUndefined();
      else
        expect(arm.coupons).toEqual({
          issued,
          redeemed,
          redemptionRate: Number((redeemed / issued).toFixed(4)),
          revenue: redeemed ? 45000 : 0,
        });
    }
    expect(ab.body.arms.find((a: { variant: string }) => a.variant === 'control')?.coupons).toBeUndefined();
  });

  it('ran without errors or dead letters', () => {
    expect(runtimeErrors).toEqual([]);
    expect(runtime.scheduler.deadLetters).toEqual([]);
  });
});
