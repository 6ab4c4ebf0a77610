import { describe, expect, it } from 'vitest';
import { renderPush, renderScope } from '../../functions/core/delivery/render.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';
import type { LoyaltyRules } from '../../functions/core/loyalty/loyalty.js';
import { loyaltyAt } from '../../functions/core/loyalty/loyalty.js';
import { loyaltySettingsSchema } from '../../functions/core/loyalty/loyaltySettings.js';
import { recordTierChange } from '../../functions/core/loyalty/recordTierChange.js';
import { addOrderRevenue, revenue12m, tierFor } from '../../functions/core/loyalty/tiers.js';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { applyProfileUpdate } from '../../functions/core/profiles/applyProfileUpdate.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import { positioned } from './builders.js';

const loyalty = loyaltySettingsSchema.parse({
  enabled: true,
  earnRate: 0.01,
  pointsExpireAfterDays: 30,
  tiers: [
    { name: 'Member', minRevenue12m: 0 },
    { name: 'VIP', minRevenue12m: 500_000 },
  ],
});
const rules: LoyaltyRules = { loyalty, timezone: 'Asia/Seoul' };

const order = (messageId: string, revenue: number, timestamp: string) =>
  positioned({ type: 'track', userId: 'kim', event: 'Order Completed', messageId, properties: { revenue }, timestamp });

describe('tiers', () => {
  it('keeps only the months of the 12-month window, in the workspace zone', () => {
    // 2026-01-31T16:00Z is already February in Seoul.
    let months = addOrderRevenue({}, 100, '2026-01-31T16:00:00Z', 'Asia/Seoul');
    expect(months).toEqual({ '2026-02': 100 });
    months = addOrderRevenue(months, 50, '2027-01-15T00:00:00Z', 'Asia/Seoul');
    expect(revenue12m(months, '2027-01-15T00:00:00Z', 'Asia/Seoul')).toBe(150);
    months = addOrderRevenue(months, 10, '2027-02-15T00:00:00Z', 'Asia/Seoul');
    expect(months).toEqual({ '2027-01': 50, '2027-02': 10 });
  });

  it('gives the highest tier the revenue reaches, whatever the order of the thresholds', () => {
    const tiers = [
      { name: 'VIP', minRevenue12m: 500_000 },
      { name: 'Gold', minRevenue12m: 200_000 },
    ];
    expect(tierFor(600_000, tiers)).toBe('VIP');
    expect(tierFor(200_000, tiers)).toBe('Gold');
    expect(tierFor(199_999, tiers)).toBeUndefined();
  });

  it('goes up with an order and down when old revenue leaves the window, one change per crossing', () => {
    let p = applyEvents(
      newProfile('u:kim', '2026-01-01T00:00:00Z'),
      [order('o1', 300_000, '2026-01-10T00:00:00Z')],
      rules,
    );
    expect(p.loyalty?.tier).toBe('Member');
    p = applyEvents(p, [order('o2', 250_000, '2026-03-10T00:00:00Z')], rules);
    expect(p.loyalty).toMatchObject({
      tier: 'VIP',
      tierSince: '2026-03-10T00:00:00Z',
      revenue12m: 550_000,
      lastTierChange: { from: 'Member', to: 'VIP', source: 'o2', revenue12m: 550_000 },
    });
    p = applyEvents(p, [order('o3', 10_000, '2026-12-20T00:00:00Z')], rules);
    expect(p.loyalty?.lastTierChange?.source).toBe('o2'); // still VIP: no new change
    // 2027-01: January 2026 has left the window (Feb 2026 … Jan 2027).
    p = applyEvents(p, [order('o4', 10_000, '2027-01-05T00:00:00Z')], rules);
    expect(p.loyalty).toMatchObject({
      tier: 'Member',
      revenue12m: 270_000,
      lastTierChange: { from: 'VIP', to: 'Member', source: 'o4' },
    });
  });

  it('records Tier Changed once for the order that made it, under an id a replay reuses', async () => {
    const appended: StoredEvent[] = [];
    const deps = { events: { append: async (events: StoredEvent[]) => void appended.push(...events) } };
    const first = order('o1', 600_000, '2026-01-10T00:00:00Z');
    const p = applyEvents(newProfile('u:kim', '2026-01-01T00:00:00Z'), [first], rules);
    const event = await recordTierChange(p, [first.event], deps);
    expect(event).toMatchObject({
      userKey: 'u:kim',
      type: 'track',
      event: 'Tier Changed',
      messageId: 'tier-changed-o1',
      timestamp: '2026-01-10T00:00:00Z',
      properties: { from: null, to: 'VIP', revenue12m: 600_000 },
    });
    // A replay of the same order records the identical event (same key); a later, unrelated order records none.
    const replay = await recordTierChange(applyEvents(p, [first], rules), [first.event], deps);
    expect(replay).toEqual(event);
    const later = order('o2', 1000, '2026-01-11T00:00:00Z');
    expect(await recordTierChange(applyEvents(p, [later], rules), [later.event], deps)).toBeUndefined();
    expect(appended).toHaveLength(2);
    expect(appended[0]).toEqual(appended[1]);
  });
});

describe('loyalty on the profile', () => {
  it('earns points on an order, once per event, with the expiry from settings, mirrored to the points trait', () => {
    const o = order('o1', 12_345, '2026-01-10T00:00:00Z');
    const p = applyEvents(newProfile('u:kim', '2026-01-01T00:00:00Z'), [o, o], rules);
    expect(p.loyalty?.points).toBe(123);
    expect(p.loyalty?.entries).toEqual([
      {
        points: 123,
        reason: 'order',
        source: 'o1',
        at: '2026-01-10T00:00:00Z',
        expiresAt: '2026-02-09T00:00:00.000Z',
        remaining: 123,
      },
    ]);
    expect(p.traits.points).toBe(123);
  });

  it('lapses expired points when the profile is next written, and reads leave them out before that', () => {
    let p = applyEvents(
      newProfile('u:kim', '2026-01-01T00:00:00Z'),
      [order('o1', 10_000, '2026-01-10T00:00:00Z')],
      rules,
    );
    expect(loyaltyAt(p, '2026-02-10T00:00:00Z').points).toBe(0);
    expect(p.loyalty?.points).toBe(100);
    p = applyEvents(
      p,
      [positioned({ type: 'track', userId: 'kim', event: 'Viewed', timestamp: '2026-02-10T00:00:00Z' })],
      rules,
    );
    expect(p.loyalty?.points).toBe(0);
    expect(p.traits.points).toBe(0);
  });

  it('opens the ledger with the points the trait held before the programme was on', () => {
    const base: Profile = { ...newProfile('u:kim', '2026-01-01T00:00:00Z'), traits: { points: 250 } };
    const p = applyEvents(base, [order('o1', 10_000, '2026-01-10T00:00:00Z')], rules);
    expect(p.loyalty?.entries.map((e) => [e.source, e.points])).toEqual([
      ['opening-balance', 250],
      ['o1', 100],
    ]);
    expect(p.traits.points).toBe(350);
  });

  it('earns nothing and keeps no ledger while the programme is off (the default)', () => {
    const off = { loyalty: defaultSettings().loyalty, timezone: 'Asia/Seoul' };
    expect(off.loyalty.enabled).toBe(false);
    const p = applyEvents(
      newProfile('u:kim', '2026-01-01T00:00:00Z'),
      [order('o1', 600_000, '2026-01-10T00:00:00Z')],
      off,
    );
    expect(p.loyalty).toBeUndefined();
    const q = applyProfileUpdate(
      p,
      { key: 'i1:s', set: {}, increment: { points: 10 } },
      '2026-01-11T00:00:00Z',
      off.loyalty,
    );
    expect(q.traits.points).toBe(10);
  });

  it("puts a journey step's points through the ledger, keyed by the step; other numbers add as before", () => {
    const base: Profile = { ...newProfile('u:kim', '2026-01-01T00:00:00Z'), traits: { stamps: 2 } };
    const at = '2026-01-02T00:00:00Z';
    let p = applyProfileUpdate(base, { key: 'i1:give', set: {}, increment: { points: 100, stamps: 1 } }, at, loyalty);
    expect(p.traits).toEqual({ stamps: 3, points: 100 });
    expect(p.loyalty?.entries).toEqual([
      {
        points: 100,
        reason: 'journey step',
        source: 'i1:give',
        at,
        expiresAt: '2026-02-01T00:00:00.000Z',
        remaining: 100,
      },
    ]);
    // The same step again (a retry) is the same object: nothing added.
    expect(applyProfileUpdate(p, { key: 'i1:give', set: {}, increment: { points: 100 } }, at, loyalty)).toBe(p);
    p = applyProfileUpdate(p, { key: 'i1:spend', set: {}, increment: { points: -30 } }, at, loyalty);
    expect(p.loyalty?.points).toBe(70);
    p = applyProfileUpdate(p, { key: 'i1:big', set: { tried: true }, increment: { points: -500 } }, at, loyalty);
    expect(p.loyalty?.points).toBe(70);
    expect(p.traits).toMatchObject({ points: 70, tried: true });
    expect(p.loyalty?.entries.at(-1)).toMatchObject({
      points: 0,
      source: 'i1:big',
      refused: 'insufficient points: the balance is 70, 500 asked',
    });
  });
});

describe('loyalty in templates', () => {
  it('renders the balance at send time (expired points left out) and the tier', async () => {
    const p = applyEvents(
      newProfile('u:kim', '2026-01-01T00:00:00Z'),
      [order('o1', 600_000, '2026-01-10T00:00:00Z')],
      rules,
    );
    const request = {
      journeyId: 'j',
      stepId: 's',
      idempotencyKey: 'm1',
      trigger: { event: 'Tier Changed', properties: {} },
    };
    const content = {
      title: '{{ loyalty.tier }}',
      body: '{{ loyalty.points }} points ({{ profile.loyalty.points }} stored)',
    };
    const before = await renderPush(content, renderScope(request, p, [], '2026-01-20T00:00:00Z'));
    expect(before).toMatchObject({ title: 'VIP', body: '6000 points (6000 stored)' });
    const after = await renderPush(content, renderScope(request, p, [], '2026-03-01T00:00:00Z'));
    expect(after.body).toBe('0 points (6000 stored)');
  });
});

describe('an order resent under a new stream position', () => {
  it('earns and counts towards the tier once', () => {
    const once = applyEvents(
      newProfile('u:kim', '2026-01-01T00:00:00Z'),
      [order('o1', 400_000, '2026-01-10T00:00:00Z')],
      rules,
    );
    const twice = applyEvents(once, [order('o1', 400_000, '2026-01-10T00:05:00Z')], rules);
    expect(twice.loyalty).toMatchObject({ points: 4000, revenue12m: 400_000, tier: 'Member' });
  });
});
