// Loyalty end to end through the local runtime: orders earn points and a tier, Tier Changed enters a journey
// whose step adds points through the ledger, a manual adjustment, and the advanced clock lapsing points.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_loyalty-e2e';
const ADMIN_TOKEN = 'rat_loyalty-e2e';
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
const order = (userId: string, orderId: string, revenue: number) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  messageId: `order-${orderId}`,
  properties: { order_id: orderId, revenue },
});

describe('loyalty through the local runtime', () => {
  it('earns points and a tier from orders, enters a Tier Changed journey once, adjusts by hand, lapses points', async () => {
    const settings = await admin('PUT', '/admin/v1/settings', {
      loyalty: {
        enabled: true,
        earnRate: 0.01,
        pointsExpireAfterDays: 30,
        tiers: [
          { name: 'Member', minRevenue12m: 0 },
          { name: 'VIP', minRevenue12m: 500_000 },
        ],
      },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);

    const journey = {
      id: 'vip-welcome',
      name: 'Welcome a new VIP',
      trigger: { kind: 'event', event: 'Tier Changed', where: { attribute: 'to', op: 'eq', value: 'VIP' } },
      start: 'bonus',
      steps: {
        bonus: { type: 'update-profile', set: { vipWelcomed: true }, increment: { points: 1000 }, next: 'done' },
        done: { type: 'exit' },
      },
    };
    expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    expect((await admin('POST', '/admin/v1/journeys/vip-welcome/activate')).body).toMatchObject({ status: 'active' });

    // 300,000 then 250,000 KRW: Member, then VIP at the second order. The first order is sent twice (a retry).
    await client().send([order('kim', 'o-1', 300_000)]);
    await client().send([order('kim', 'o-1', 300_000), order('kim', 'o-2', 250_000)]);
    // Tier Changed comes back through the stream and the journey runs; let the pipeline settle.
    await client().advance('1m');
    await runtime.poller.drain(60_000);

    const points = await admin('GET', '/admin/v1/profiles/kim/points');
    expect(points.status).toBe(200);
    expect(points.body).toMatchObject({ points: 3000 + 2500 + 1000, tier: 'VIP', revenue12m: 550_000 });
    expect(points.body.entries.map((e: { source: string; points: number }) => [e.points, e.source])).toEqual([
      [3000, 'order-o-1'],
      [2500, 'order-o-2'],
      [1000, expect.stringMatching(/:bonus$/)],
    ]);
    const profile = await admin('GET', '/admin/v1/profiles/kim');
    expect(profile.body.traits).toMatchObject({ points: 6500, vipWelcomed: true });
    expect(profile.body.loyalty.tier).toBe('VIP');
    expect(profile.body.computed.eventCounts['Tier Changed']).toBe(2); // none → Member, Member → VIP

    const instances = await admin('GET', '/admin/v1/journeys/vip-welcome/instances?userId=kim');
    expect(instances.body.instances).toHaveLength(1);
    const events = await admin('GET', '/admin/v1/profiles/kim/events');
    const changes = events.body.events.filter((e: { event?: string }) => e.event === 'Tier Changed');
    expect(changes.map((e: { properties: unknown }) => e.properties)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'Member', to: 'VIP', revenue12m: 550_000 }),
        expect.objectContaining({ from: null, to: 'Member', revenue12m: 300_000 }),
      ]),
    );

    // A segment on the tier.
    const estimate = await admin('POST', '/admin/v1/segments/estimate', {
      condition: { attribute: 'loyalty.tier', op: 'eq', value: 'VIP' },
    });
    expect(estimate.body).toMatchObject({ matching: 1 });

    // By hand: take 500; the same adjustment again moves nothing; more than the balance is refused whole.
    const take = { points: -500, reason: 'goodwill correction', source: 'ticket-42' };
    expect((await admin('POST', '/admin/v1/profiles/kim/points', take)).body).toMatchObject({
      outcome: 'spent',
      ledger: { points: 6000 },
    });
    expect((await admin('POST', '/admin/v1/profiles/kim/points', take)).body).toMatchObject({ outcome: 'duplicate' });
    const over = await admin('POST', '/admin/v1/profiles/kim/points', { points: -7000, reason: 'x', source: 't-43' });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('insufficient points: the balance is 6000, 7000 asked');
    const bad = await admin('POST', '/admin/v1/profiles/kim/points', { points: 0, reason: 'x', source: 't-44' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^body\.points/);

    // Past the 30 days every point has lapsed: the read leaves them out before any write.
    await client().advance('31d');
    expect((await admin('GET', '/admin/v1/profiles/kim/points')).body).toMatchObject({ points: 0, tier: 'VIP' });
    // The next event writes the profile, and the lapses become entries.
    await client().send([{ type: 'track', userId: 'kim', event: 'App Opened' }]);
    const lapsed = await admin('GET', '/admin/v1/profiles/kim');
    expect(lapsed.body.loyalty.points).toBe(0);
    expect(lapsed.body.traits.points).toBe(0);
    expect(lapsed.body.loyalty.entries.filter((e: { reason: string }) => e.reason === 'expired')).toHaveLength(3);

    // A year on, the VIP months have left the window: the next order brings the tier down, and the journey
    // (on `to` VIP) is not entered again.
    await client().advance('400d');
    await client().send([order('kim', 'o-3', 10_000)]);
    await runtime.poller.drain(60_000);
    expect((await admin('GET', '/admin/v1/profiles/kim/points')).body).toMatchObject({
      points: 100,
      tier: 'Member',
      revenue12m: 10_000,
    });
    const down = (await admin('GET', '/admin/v1/profiles/kim/events')).body.events.filter(
      (e: { event?: string }) => e.event === 'Tier Changed',
    );
    expect(down[0].properties).toMatchObject({ from: 'VIP', to: 'Member' });
    expect((await admin('GET', '/admin/v1/journeys/vip-welcome/instances?userId=kim')).body.instances).toHaveLength(1);

    expect(runtimeErrors).toEqual([]);
  });
});
