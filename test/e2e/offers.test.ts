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
