// The loyalty ledger stored on the profile item in DynamoDB Local: the biggest ledger fits, round-trips exactly,
// and concurrent journey steps adding points on one customer lose none (the profile's optimistic locking).
import { beforeAll, describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import { loyaltySettingsSchema } from '../../functions/core/loyalty/loyaltySettings.js';
import { LEDGER_LIMITS } from '../../functions/core/loyalty/pointsLedger.js';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { applyProfileUpdate } from '../../functions/core/profiles/applyProfileUpdate.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { positioned } from '../unit/builders.js';

const loyalty = loyaltySettingsSchema.parse({
  enabled: true,
  pointsExpireAfterDays: 365,
  tiers: [{ name: 'VIP', minRevenue12m: 500_000 }],
});
const rules = { loyalty, timezone: 'Asia/Seoul' };

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('the points ledger on a stored profile', () => {
  it('keeps a full ledger far below the 400 KB item limit and reads it back exactly', async () => {
    const orders = Array.from({ length: LEDGER_LIMITS.entries * 3 }, (_, i) =>
      positioned({
        type: 'track',
        userId: 'big',
        event: 'Order Completed',
        messageId: `order-with-a-long-message-id-${String(i).padStart(6, '0')}-${'x'.repeat(40)}`,
        properties: { revenue: 12_345 },
        timestamp: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString(),
      }),
    );
    const profile = applyEvents(newProfile('u:big', '2026-01-01T00:00:00Z'), orders, rules);
    expect(profile.loyalty!.entries.length).toBeLessThanOrEqual(LEDGER_LIMITS.entries);
    expect(profile.loyalty!.points).toBe(orders.length * 123);
    // A generous upper bound on the item size: the marshalled JSON, type tags and all.
    const bytes = JSON.stringify(marshall(profile, { removeUndefinedValues: true })).length;
    expect(bytes).toBeLessThan(100_000);
    expect(await t.adapters.profiles.write({ profile, expectedVersion: 0, tombstones: [] })).toBe('written');
    const stored = await t.adapters.profiles.get('u:big');
    expect(stored?.kind === 'profile' && stored.profile.loyalty).toEqual(profile.loyalty);
  });

  it('adds every concurrent step’s points once, however the writes interleave and retry', async () => {
    await t.adapters.profiles.write({
      profile: newProfile('u:busy', '2026-01-01T00:00:00Z'),
      expectedVersion: 0,
      tombstones: [],
    });
    const at = '2026-02-01T00:00:00Z';
    const step = async (key: string) => {
      for (;;) {
        const stored = await t.adapters.profiles.get('u:busy');
        if (stored?.kind !== 'profile') throw new Error('no profile');
        const next = applyProfileUpdate(stored.profile, { key, set: {}, increment: { points: 10 } }, at, loyalty);
        if (next === stored.profile) return;
        const written = await t.adapters.profiles.write({
          profile: next,
          expectedVersion: stored.version,
          tombstones: [],
        });
        if (written === 'written') return;
      }
    };
    const keys = Array.from({ length: 8 }, (_, i) => `i${i}:bonus`);
    // Every step twice, side by side: the retries must add nothing.
    await Promise.all([...keys, ...keys].map(step));
    const stored = await t.adapters.profiles.get('u:busy');
    expect(stored?.kind === 'profile' && stored.profile.loyalty?.points).toBe(80);
    expect(stored?.kind === 'profile' && stored.profile.traits.points).toBe(80);
  });
});
