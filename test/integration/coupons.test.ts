// Coupon pools against DynamoDB Local: one code per message however often it is sent, one per customer, used once.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSendHandler } from '../../functions/handlers/sendMessage.js';
import type { DeliveryDeps } from '../../functions/core/delivery/deliverMessage.js';
import { ProviderThrottledError } from '../../functions/core/errors.js';
import type { OutgoingEmail } from '../../functions/core/delivery/ports.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { generateCouponCodes } from '../../functions/core/offers/coupon.js';
import { redeemCoupons } from '../../functions/core/offers/redeemCoupons.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { cryptoRandom } from '../../functions/adapters/system.js';
import { context } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const clock = fixedClock('2026-12-04T03:00:00.000Z');
const pool = {
  id: 'welcome-10',
  name: 'Welcome 10%',
  discount: '10% off the first order',
  perCustomerLimit: 1,
  alertBelow: 0,
};

beforeAll(async () => {
  t = await freshTables({ clock });
});

describe('coupon pools', () => {
  it('generates distinct codes from a pattern, with the ambiguous characters left out', () => {
    const codes = generateCouponCodes('WELCOME-XXXX-##', 2000, cryptoRandom);
    expect(new Set(codes).size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^WELCOME-[A-HJ-NP-Z2-9]{4}-\d{2}$/);
    expect(() => generateCouponCodes('AB-##', 50, cryptoRandom)).toThrow(/room for too few codes/);
  });

  it('hands one message the same code however often it is claimed, and a customer their unused code back', async () => {
    const coupons = t.adapters.coupons;
    await coupons.putPool(pool, clock.now());
    expect(await coupons.addCodes('welcome-10', ['W-AAA1', 'W-AAA2', 'W-AAA3', 'W-AAA1'])).toEqual({
      added: 3,
      duplicates: ['1 repeated in the upload'],
    });
    // A code already in a pool is never loaded twice.
    expect((await coupons.addCodes('welcome-10', ['w-aaa2', 'W-AAA4'])).duplicates).toEqual(['W-AAA2']);

    const first = await coupons.claim('welcome-10', 'u:kim', 'msg-1', clock.now());
    const again = await Promise.all([1, 2, 3].map(() => coupons.claim('welcome-10', 'u:kim', 'msg-1', clock.now())));
    expect(first).toMatchObject({ kind: 'issued', reused: false });
    for (const claim of again) expect(claim).toMatchObject({ kind: 'issued', code: (first as { code: string }).code });
    // Another message to the same customer: the code they hold, not a new one.
    expect(await coupons.claim('welcome-10', 'u:kim', 'msg-2', clock.now())).toMatchObject({
      kind: 'issued',
      code: (first as { code: string }).code,
      reused: true,
    });
    const other = await coupons.claim('welcome-10', 'u:lee', 'msg-3', clock.now());
    expect(other).toMatchObject({ kind: 'issued' });
    expect((other as { code: string }).code).not.toBe((first as { code: string }).code);
    expect(await coupons.getPool('welcome-10')).toMatchObject({ total: 4, issued: 2 });
  });

  it('marks a code used by its order once, counts revenue and time to redeem, and then limits the customer', async () => {
    const coupons = t.adapters.coupons;
    const held = await coupons.claim('welcome-10', 'u:park', 'msg-p', clock.now());
    const code = (held as { code: string }).code;
    const order = {
      type: 'track',
      event: 'Order Completed',
      timestamp: '2026-12-05T03:00:00.000Z',
      properties: { order_id: 'o-1', total: 30000, coupon: code.toLowerCase() },
    } as unknown as Parameters<typeof redeemCoupons>[0][number];
    expect(
      await redeemCoupons([order, order], 'u:park', {
        coupons,
        messages: t.adapters.messages,
        metrics: t.adapters.metrics,
      }),
    ).toBe(1);
    const report = await coupons.getPool('welcome-10');
    expect(report).toMatchObject({ redeemed: 1, revenue: 30000, redeemSeconds: 86_400 });
    const issued = await coupons.issuedCodes('welcome-10', 10);
    expect(issued.find((c) => c.code === code)).toMatchObject({ userKey: 'u:park', orderId: 'o-1', revenue: 30000 });
    // One code per customer in this pool: used, so none more.
    expect(await coupons.claim('welcome-10', 'u:park', 'msg-p2', clock.now())).toEqual({ kind: 'limit-reached' });
    // A code the workspace never issued (a shop's own) changes nothing.
    expect(await coupons.redeem('NOT-OURS', { userKey: 'u:park', revenue: 1, at: order.timestamp })).toEqual({
      kind: 'unknown',
    });
  });

  it('says when a claim leaves fewer unused codes than the pool alerts below, and not before', async () => {
    const coupons = t.adapters.coupons;
    await coupons.putPool({ ...pool, id: 'low', alertBelow: 2 }, clock.now());
    await coupons.addCodes('low', ['LOW-1', 'LOW-2', 'LOW-3', 'LOW-4']);
    const claims = [];
    for (const user of ['a', 'b', 'c', 'd'] as const)
      claims.push(await coupons.claim('low', `u:${user}`, `m-${user}`, clock.now()));
    expect(claims.map((c) => (c.kind === 'issued' ? c.lowOnCodes : c.kind))).toEqual([undefined, undefined, 1, 0]);
    // The same message again reuses its code and raises nothing new.
    expect(await coupons.claim('low', 'u:d', 'm-d', clock.now())).not.toHaveProperty('lowOnCodes');
  });

  it('says a pool is exhausted or expired instead of handing out nothing', async () => {
    const coupons = t.adapters.coupons;
    await coupons.putPool({ ...pool, id: 'tiny' }, clock.now());
    await coupons.addCodes('tiny', ['TINY-1']);
    expect(await coupons.claim('tiny', 'u:a', 'm-a', clock.now())).toMatchObject({ kind: 'issued', code: 'TINY-1' });
    expect(await coupons.claim('tiny', 'u:b', 'm-b', clock.now())).toEqual({ kind: 'exhausted' });
    await coupons.putPool({ ...pool, id: 'past', validUntil: '2026-12-01T00:00:00.000Z' }, clock.now());
    expect(await coupons.claim('past', 'u:a', 'm-c', clock.now())).toEqual({ kind: 'expired' });
    expect(await coupons.claim('nope', 'u:a', 'm-d', clock.now())).toEqual({ kind: 'unknown-pool' });
  });
  it('forgets on erasure who held every code the customer received, and keeps the pool counting them', async () => {
    const coupons = t.adapters.coupons;
    await coupons.putPool({ ...pool, id: 'twice', perCustomerLimit: 2 }, clock.now());
    await coupons.addCodes('twice', ['TW-1', 'TW-2', 'TW-3']);
    const first = await coupons.claim('twice', 'u:erased', 'e-1', clock.now());
    await coupons.redeem((first as { code: string }).code, {
      userKey: 'u:erased',
      orderId: 'o-9',
      revenue: 5,
      at: '2026-12-05T00:00:00.000Z',
    });
    await coupons.claim('twice', 'u:erased', 'e-2', clock.now());
    await coupons.claim('twice', 'u:kept', 'k-1', clock.now());
    // Two codes (holder, message) each, one holder row; the other customer's rows stay.
    expect(await coupons.forget(['u:erased', 'u:never-here'])).toBe(5);
    const codes = await coupons.issuedCodes('twice', 10);
    expect(codes.map((c) => c.userKey)).toEqual(['u:kept', undefined, undefined]);
    expect(JSON.stringify(codes)).not.toContain('o-9');
    expect(await coupons.getPool('twice')).toMatchObject({ issued: 3, redeemed: 1, revenue: 5 });
    expect(await coupons.forget(['u:erased'])).toBe(0);
  });
});

describe('a coupon in a message', () => {
  it('prints one claimed code in the e-mail under three deliveries (one throttled), and logs which code went to whom', async () => {
    const mails: OutgoingEmail[] = [];
    let throttle = 1;
    await t.adapters.coupons.putPool({ ...pool, id: 'welcome-mail' }, clock.now());
    await t.adapters.coupons.addCodes('welcome-mail', generateCouponCodes('HELLO-XXXXXX', 20, cryptoRandom));
    await t.adapters.templates.put({
      id: 'welcome-coupon-test',
      name: 'Welcome',
      channel: 'email',
      email: {
        subject: 'Your code {% coupon "welcome-mail" %}',
        html: '<p>Use {% coupon "welcome-mail" %} at checkout</p>',
      },
      variants: {},
    });
    const at = '2026-11-01T00:00:00.000Z';
    const p = newProfile('u:choi', at);
    p.channels.email = 'choi@example.com';
    p.consent = { email: { granted: true, at } };
    await t.adapters.profiles.write({ profile: p, expectedVersion: 0, tombstones: [] });
    const deps: DeliveryDeps = {
      ...t.adapters,
      deferrer: { defer: async () => undefined },
      mailer: {
        send: async (email: OutgoingEmail) => {
          if (throttle-- > 0) throw new ProviderThrottledError('slow down');
          mails.push(email);
          return `ses-${mails.length}`;
        },
      },
      push: { send: async () => ({ status: 'invalid-token' }) },
      messaging: { sendSms: async () => 'x', sendKakao: async () => 'x' },
      deliveries: { enqueue: async () => undefined },
      unsubscribe: { baseUrl: 'https://api.example.com', secret: 's' },
    };
    const send = createSendHandler(t.adapters, deps);
    const request: DeliveryRequest = {
      idempotencyKey: 'welcome:choi',
      channel: 'email',
      userKey: 'u:choi',
      userId: 'choi',
      template: 'welcome-coupon-test',
      category: 'transactional',
      journeyId: 'welcome',
      journeyVersion: 1,
      stepId: 'send',
      instanceId: 'i',
      requestedAt: clock.now().toISOString(),
      trigger: {},
    };
    const record = (i: number) => ({
      messageId: `m${i}`,
      receiptHandle: `h${i}`,
      body: JSON.stringify(request),
      attributes: {
        ApproximateReceiveCount: String(i),
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:retain-email',
      awsRegion: 'ap-northeast-2',
    });
    // The first delivery is throttled (after the code was claimed), the second sends, the third is a redelivery.
    for (const i of [1, 2, 3]) await send({ Records: [record(i)] }, context());
    expect(mails).toHaveLength(1);
    const code = /Your code (HELLO-\w{6})/.exec(mails[0].subject)![1];
    expect(mails[0].html).toContain(`Use ${code} at checkout`);
    expect(await t.adapters.coupons.getPool('welcome-mail')).toMatchObject({ issued: 1 });
    expect(await t.adapters.messages.get('u:choi', 'welcome:choi')).toMatchObject({
      status: 'sent',
      coupons: { 'welcome-mail': code },
    });
  });
});
