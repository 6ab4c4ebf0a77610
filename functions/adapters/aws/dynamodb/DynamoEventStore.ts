// The Events table: one item per accepted event, keyed so that a retried message is a no-op.

import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredEvent } from '../../../core/events/storedEvent.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { EventStore } from '../../../core/events/ports.js';
import { tableSpecs } from '../../../tables.js';
import { batchWrite } from './batchWrite.js';
import { deletePartition } from './deletePartition.js';

const DAY_SECONDS = 86_400;

/** The item as stored: a few top-level attributes to query and filter on, and the event as JSON. */
export type EventItem = {
  userKey: string;
  sk: string;
  type: string;
  event?: string;
  messageId: string;
  timestamp: string;
  receivedAt: string;
  expiresAt: number;
  /**
   * The whole event as a JSON string. A map would refuse what JSON allows and DynamoDB does not
   * (numbers above 1e125, 38+ significant digits), and a string costs nothing to (un)marshal.
   */
  body: string;
};

export function toEventItem(event: StoredEvent, retentionDays: number): EventItem {
  return {
    userKey: event.userKey,
    sk: event.sk,
    type: event.type,
    event: event.event,
    messageId: event.messageId,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    expiresAt: Math.floor(Date.parse(event.receivedAt) / 1000) + retentionDays * DAY_SECONDS,
    body: JSON.stringify(event),
  };
}

export function fromEventItem(item: Record<string, unknown>): StoredEvent {
  return JSON.parse(item.body as string) as StoredEvent;
}

export class DynamoEventStore implements EventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async append(events: StoredEvent[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      events.map((e) => ({ PutRequest: { Item: toEventItem(e, this.retentionDays) } })),
    );
  }

  async listRecent(userKeys: UserKey[], limit: number): Promise<StoredEvent[]> {
    const pages = await Promise.all(
      userKeys.map((userKey) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'userKey = :u',
            ExpressionAttributeValues: { ':u': userKey },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => (p.Items ?? []).map(fromEventItem))
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
      .slice(0, limit);
  }

  deleteAll(userKey: UserKey): Promise<number> {
    const { partitionKey, sortKey } = tableSpecs.events;
    return deletePartition(this.client, this.table, { partition: partitionKey.name, sort: sortKey.name }, userKey);
  }
}
