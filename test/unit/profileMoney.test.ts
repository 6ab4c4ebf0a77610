// A profile's revenue stays a number when an order stored before ingest refused absurd money is applied.
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { positioned } from './builders.js';

const order = (properties: Record<string, unknown>) =>
  positioned({ type: 'track', userId: 'u1', event: 'Order Completed', properties });

describe('profile revenue', () => {
  it('ignores order amounts beyond ±1e12 instead of turning revenue into Infinity (stored as null)', () => {
    const profile = applyEvents(newProfile('u:u1', '2026-11-23T10:00:00.000Z'), [
      order({ total: 1e308 }),
      order({ total: '1e308' }),
      order({ total: 120 }),
    ]);
    expect(profile.computed.orders).toBe(3);
    expect(profile.computed.revenue).toBe(120);
    expect(JSON.parse(JSON.stringify(profile)).computed.averageOrderValue).toBe(40);
  });
});
