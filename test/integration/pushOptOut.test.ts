import { beforeAll, describe, expect, it } from 'vitest';
import { countPushOptOut } from '../../functions/core/metrics/attributeConversions.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

const push = (key: string, at: string): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'push',
  userKey: 'u:po',
  userId: 'po',
  template: 'nudge',
  category: 'marketing',
  journeyId: 'winback',
  journeyVersion: 1,
  stepId: 'nudge',
  instanceId: 'i',
  variant: 'A',
  requestedAt: at,
  trigger: {},
});

describe('push opt-outs', () => {
  it('count once against the last push of the week, as an unsubscribe in the live counters', async () => {
    for (const [key, at] of [
      ['p-old', '2026-11-10T09:00:00.000Z'],
      ['p-1', '2026-11-20T09:00:00.000Z'],
      ['p-2', '2026-11-22T09:00:00.000Z'],
    ] as const) {
      await t.adapters.messages.claim(push(key, at), new Date(at));
      await t.adapters.messages.record('u:po', key, { status: 'sent', channel: 'push', sentAt: at }, new Date(at));
    }
    expect(await countPushOptOut(['u:po'], '2026-11-23T09:00:00.000Z', t.adapters)).toBe(true);
    expect(await countPushOptOut(['u:po'], '2026-11-23T09:05:00.000Z', t.adapters)).toBe(false);
    expect((await t.adapters.messages.get('u:po', 'p-2'))?.unsubscribedAt).toBe('2026-11-23T09:00:00.000Z');
    expect((await t.adapters.messages.get('u:po', 'p-1'))?.unsubscribedAt).toBeUndefined();
    const rows = await t.adapters.metrics.read('winback', '2026-11-01', '2026-11-30');
    expect(rows.reduce((n, r) => n + (r.counts.unsubscribed ?? 0), 0)).toBe(1);
    // Nothing pushed in the week before: nothing to count.
    expect(await countPushOptOut(['u:po'], '2026-12-30T09:00:00.000Z', t.adapters)).toBe(false);
  });
});
