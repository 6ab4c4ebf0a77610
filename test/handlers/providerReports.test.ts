import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createProviderReportsHandler } from '../../functions/handlers/providerReports.js';
import { webhookSignature } from '../../functions/adapters/aws/messaging/WebhookMessagingProvider.js';
import { messageRef } from '../../functions/core/delivery/messageRef.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { context, httpEvent } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const SECRET = 'provider-webhook-secret';
const NOW = '2026-11-23T05:00:00.000Z';
const unix = String(Date.parse(NOW) / 1000);

beforeAll(async () => {
  t = await freshTables({ clock: fixedClock(NOW) });
});

const request = (key: string): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'sms',
  userKey: 'u:pr',
  userId: 'pr',
  template: 'sale',
  category: 'marketing',
  journeyId: 'broadcast:sale',
  journeyVersion: 0,
  stepId: 'send',
  instanceId: 'sale',
  requestedAt: '2026-11-23T04:00:00.000Z',
  trigger: {},
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const raw = JSON.stringify(body);
  const handler = createProviderReportsHandler(t.adapters, SECRET);
  const event = httpEvent({
    method: 'POST',
    path: '/v1/provider-reports',
    body: raw,
    headers: { 'x-retain-timestamp': unix, 'x-retain-signature': webhookSignature(SECRET, unix, raw), ...headers },
  });
  const res = (await handler(event, context())) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, body: JSON.parse(res.body as string) };
}

describe('provider-reports handler', () => {
  it('marks a text message delivered once, from a signed report', async () => {
    await t.adapters.messages.claim(request('d1'), new Date('2026-11-23T04:00:00Z'));
    const report = {
      reports: [
        {
          messageRef: messageRef({ userKey: 'u:pr', idempotencyKey: 'd1' }),
          status: 'delivered',
          code: '4000',
          at: '2026-11-23T04:00:05Z',
        },
      ],
    };
    expect((await post(report)).body.results).toEqual([{ index: 0, result: 'recorded' }]);
    expect((await post(report)).body.results).toEqual([{ index: 0, result: 'already recorded' }]);
    expect(await t.adapters.messages.get('u:pr', 'd1')).toMatchObject({ deliveredAt: '2026-11-23T04:00:05.000Z' });
  });

  it('refuses a report whose signature or timestamp is wrong', async () => {
    const report = {
      reports: [{ messageRef: messageRef({ userKey: 'u:pr', idempotencyKey: 'd1' }), status: 'failed' }],
    };
    expect(
      (await post(report, { 'x-retain-signature': webhookSignature('another secret', unix, JSON.stringify(report)) }))
        .status,
    ).toBe(401);
    const stale = String(Number(unix) - 600);
    expect(
      (
        await post(report, {
          'x-retain-timestamp': stale,
          'x-retain-signature': webhookSignature(SECRET, stale, JSON.stringify(report)),
        })
      ).status,
    ).toBe(401);
    expect((await post({ reports: [{ messageRef: 'x', status: 'bounced' }] })).body.error.field).toBe(
      'body.reports.0.status',
    );
    expect((await t.adapters.messages.get('u:pr', 'd1'))?.bouncedAt).toBeUndefined();
  });

  it('turns an 080 opt-out into Unsubscribed for the channel, and suppresses the number for advertising', async () => {
    await t.adapters.messages.claim(request('o1'), new Date('2026-11-23T04:00:00Z'));
    const report = {
      reports: [
        {
          messageRef: messageRef({ userKey: 'u:pr', idempotencyKey: 'o1' }),
          status: 'opted-out',
          phone: '010-5555-0001',
        },
      ],
    };
    expect((await post(report)).body.results).toEqual([{ index: 0, result: 'unsubscribed' }]);
    const [event] = await t.adapters.events.listRecent(['u:pr'], 5);
    expect(event).toMatchObject({
      event: 'Unsubscribed',
      properties: { channel: 'sms', method: '080' },
      context: { consent: { categoryPreferences: { sms: false } } },
    });
    expect(await t.adapters.suppressions.isSuppressed('01055550001')).toBe(true);
  });
});
