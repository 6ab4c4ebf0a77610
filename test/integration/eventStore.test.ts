import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { freshTables, type TestTables } from '../support/tables.js';
import { storedEvent } from '../unit/builders.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('DynamoEventStore', () => {
  it('stores more than one BatchWriteItem of events and lists them newest first', async () => {
    const events = Array.from({ length: 60 }, (_, i) =>
      storedEvent({
        type: 'track',
        userId: 'list-user',
        event: `E${i}`,
        messageId: `m${i}`,
        timestamp: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      }),
    );
    await t.adapters.events.append(events);
    const recent = await t.adapters.events.listRecent(['u:list-user'], 5);
    expect(recent.map((e) => e.event)).toEqual(['E59', 'E58', 'E57', 'E56', 'E55']);
  });

  it('keys each event by user and client timestamp#messageId, with a TTL and the event as JSON', async () => {
    const event = storedEvent({
      type: 'track',
      userId: 'key-user',
      event: 'A',
      messageId: 'mk',
      properties: { big: 1e120 },
    });
    await t.adapters.events.append([event]);
    const { Item } = await t.adapters.client.send(
      new GetCommand({ TableName: t.tables.events, Key: { userKey: 'u:key-user', sk: event.sk } }),
    );
    expect(Item).toMatchObject({ type: 'track', event: 'A', messageId: 'mk', timestamp: event.timestamp });
    expect(Item!.expiresAt).toBe(Math.floor(Date.parse(event.receivedAt) / 1000) + 90 * 86400);
    expect(JSON.parse(Item!.body)).toEqual(event);
  });

  it('accepts the same event twice without error (a client retry)', async () => {
    const event = storedEvent({ type: 'track', userId: 'retry-user', event: 'A', messageId: 'same' });
    await t.adapters.events.append([event]);
    await t.adapters.events.append([{ ...event, receivedAt: '2026-11-23T11:00:00.000Z' }]);
    expect(await t.adapters.events.listRecent(['u:retry-user'], 10)).toHaveLength(1);
  });

  it('merges several keys of one customer and deletes all events of a key', async () => {
    await t.adapters.events.append([
      storedEvent({ type: 'page', anonymousId: 'dev-x', timestamp: '2026-11-01T00:00:00.000Z' }),
      storedEvent({ type: 'page', userId: 'merged-user', timestamp: '2026-11-02T00:00:00.000Z' }),
    ]);
    const both = await t.adapters.events.listRecent(['u:merged-user', 'a:dev-x'], 10);
    expect(both.map((e) => e.userKey)).toEqual(['u:merged-user', 'a:dev-x']);
    expect(await t.adapters.events.deleteAll('a:dev-x')).toBe(1);
    expect(await t.adapters.events.listRecent(['a:dev-x'], 10)).toEqual([]);
  });
});
