import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import { createSesEventsHandler, type SesEventDetail } from '../../functions/handlers/sesEvents.js';
import { createUnsubscribeHandler } from '../../functions/handlers/unsubscribe.js';
import { messageRef } from '../../functions/core/delivery/messageRef.js';
import { signUnsubscribeToken } from '../../functions/core/delivery/unsubscribeLink.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { context, httpEvent } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const SECRET = 'feedback-test-secret';

beforeAll(async () => {
  t = await freshTables({ clock: fixedClock('2026-11-23T05:00:00.000Z') });
});

const request = (key: string): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'email',
  userKey: 'u:fb',
  userId: 'fb',
  template: 'hello',
  category: 'marketing',
  journeyId: 'cart',
  journeyVersion: 1,
  stepId: 'email',
  instanceId: 'i',
  requestedAt: '2026-11-23T04:00:00.000Z',
  trigger: {},
});

// As SES publishes to EventBridge for a configuration set with an event destination.
function sesEvent(
  eventType: string,
  key: string,
  extra: Partial<SesEventDetail> = {},
): EventBridgeEvent<string, SesEventDetail> {
  return {
    version: '0',
    id: `evt-${eventType}-${key}`,
    'detail-type': `Email ${eventType}`,
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-11-23T05:00:00Z',
    region: 'ap-northeast-2',
    resources: [],
    detail: {
      eventType,
      mail: {
        messageId: `ses-${key}`,
        timestamp: '2026-11-23T04:00:00.000Z',
        destination: ['fb@example.com'],
        tags: {
          retain_ref: [messageRef({ userKey: 'u:fb', idempotencyKey: key })],
          'ses:configuration-set': ['retain'],
        },
      },
      ...extra,
    },
  };
}

describe('ses-events handler', () => {
  it('records a unique open once and puts "Email Opened" on the customer\'s timeline', async () => {
    await t.adapters.messages.claim(request('o1'), new Date('2026-11-23T04:00:00Z'));
    const handler = createSesEventsHandler(t.adapters);
    const open = sesEvent('Open', 'o1', { open: { timestamp: '2026-11-23T04:30:00.000Z' } });
    await handler(open, context());
    await handler({ ...open, id: 'again' }, context());
    expect(await t.adapters.messages.get('u:fb', 'o1')).toMatchObject({ openedAt: '2026-11-23T04:30:00.000Z' });
    const timeline = await t.adapters.events.listRecent(['u:fb'], 10);
    expect(timeline.filter((e) => e.event === 'Email Opened')).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ messageId: 'o1', journeyId: 'cart', template: 'hello' }),
      }),
    ]);
  });

  it('suppresses the address on a permanent bounce and a complaint, not on a soft bounce', async () => {
    const handler = createSesEventsHandler(t.adapters);
    await t.adapters.messages.claim(request('b1'), new Date('2026-11-23T04:00:00Z'));
    await handler(sesEvent('Bounce', 'b1', { bounce: { bounceType: 'Transient' } }), context());
    expect(await t.adapters.suppressions.isSuppressed('fb@example.com')).toBe(false);
    await handler(sesEvent('Bounce', 'b1', { bounce: { bounceType: 'Permanent' } }), context());
    expect(await t.adapters.suppressions.isSuppressed('FB@example.com')).toBe(true);
    expect(await t.adapters.messages.get('u:fb', 'b1')).toMatchObject({ bouncedAt: expect.any(String) });
  });
});

describe('unsubscribe handler', () => {
  it('asks on GET, acts on POST with an Unsubscribed event, and refuses a forged link', async () => {
    const handler = createUnsubscribeHandler(t.adapters, SECRET);
    const token = signUnsubscribeToken({ userKey: 'u:unsub', channel: 'email', messageId: 'm1' }, SECRET);
    const call = async (method: 'GET' | 'POST', value = token) =>
      (await handler(
        httpEvent({
          method,
          path: '/v1/unsubscribe',
          query: { token: value },
          body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        context(),
      )) as APIGatewayProxyStructuredResultV2;
    const ask = await call('GET');
    expect(ask.statusCode).toBe(200);
    expect(await t.adapters.events.listRecent(['u:unsub'], 10)).toEqual([]);
    expect((await call('POST')).statusCode).toBe(200);
    expect((await call('POST')).statusCode).toBe(200);
    const events = await t.adapters.events.listRecent(['u:unsub'], 10);
    expect(events).toEqual([
      expect.objectContaining({
        event: 'Unsubscribed',
        userId: 'unsub',
        context: { consent: { categoryPreferences: { email: false } } },
        properties: { channel: 'email', messageId: 'm1', method: 'one-click' },
      }),
    ]);
    expect((await call('POST', `${token}x`)).statusCode).toBe(400);
  });
});
