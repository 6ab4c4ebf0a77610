// The queue messages (delivery request, wake-up, broadcast page) are their schemas: what one queue writer
// produces, the reader accepts, and what no writer produces is refused.

import { describe, expect, it } from 'vitest';
import { deliveryRequestSchema } from '../../functions/core/delivery/deliveryRequest.js';
import { wakeUpSchema } from '../../functions/core/journeys/instance.js';
import { broadcastPageSchema } from '../../functions/core/broadcasts/fanOut.js';

describe('queue messages', () => {
  it('reads back a delivery request exactly as it was written', () => {
    const request = {
      idempotencyKey: 'j1:s1:i1',
      channel: 'push',
      fallback: ['sms'],
      userKey: 'u:42',
      template: 't1',
      category: 'marketing',
      journeyId: 'j1',
      journeyVersion: 3,
      stepId: 's1',
      instanceId: 'i1',
      requestedAt: '2026-12-01T00:00:00.000Z',
      trigger: { event: 'Cart Viewed', properties: { total: 12000 } },
    };
    expect(deliveryRequestSchema.parse(JSON.parse(JSON.stringify(request)))).toEqual(request);
  });

  it('refuses a user key that is neither u: nor a:, and a channel that does not exist', () => {
    const wakeUp = { userKey: 'x:42', journeyId: 'j1', instanceId: 'i1', token: 1, at: '2026-12-01T00:00:00.000Z' };
    expect(wakeUpSchema.safeParse(wakeUp).success).toBe(false);
    expect(wakeUpSchema.safeParse({ ...wakeUp, userKey: 'a:device' }).success).toBe(true);
    expect(deliveryRequestSchema.safeParse({ channel: 'fax' }).success).toBe(false);
  });

  it('refuses a broadcast page without its waves', () => {
    const waves = ['2026-12-01T00:00:00.000Z'];
    const page = { broadcastId: 'b1', wave: 0, waves, segment: 0, totalSegments: 8, index: 0, position: 0 };
    expect(broadcastPageSchema.parse(page)).toEqual(page);
    expect(broadcastPageSchema.safeParse({ ...page, waves: [] }).success).toBe(false);
  });
});
