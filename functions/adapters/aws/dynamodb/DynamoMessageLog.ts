// The message log in the State table (`msg#<idempotency key>` in the customer's partition).

import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Feedback, MessageLogEntry } from '../../../core/delivery/messageLog.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { DeliveryRequest } from '../../../core/journeys/instance.js';
import type { MessageLog, MessageLogUpdate } from '../../../core/delivery/ports.js';
import { statePartitionOf } from './DynamoUserStateStore.js';
import { queryAll } from './paging.js';
import { unlessConditionFails } from './conditionalWrite.js';

const keyOf = (userKey: UserKey, idempotencyKey: string) => ({
  pk: statePartitionOf(userKey),
  sk: `msg#${idempotencyKey}`,
});
/** The log is kept a little over a year: long enough for yearly comparisons, short enough to forget. */
const RETENTION_SECONDS = 400 * 86_400;
const FEEDBACK_FIELD: Record<Feedback, keyof MessageLogEntry> = {
  delivered: 'deliveredAt',
  opened: 'openedAt',
  clicked: 'clickedAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
  unsubscribed: 'unsubscribedAt',
};

function toEntry(item: Record<string, unknown>): MessageLogEntry {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...entry } = item;
  return entry as MessageLogEntry;
}

export class DynamoMessageLog implements MessageLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(
    request: DeliveryRequest,
    now: Date,
  ): Promise<{ claimed: true; previous?: MessageLogEntry } | { claimed: false }> {
    const at = now.toISOString();
    const fields: Record<string, unknown> = {
      userKey: request.userKey,
      idempotencyKey: request.idempotencyKey,
      channel: request.channel,
      template: request.template,
      category: request.category,
      journeyId: request.journeyId,
      stepId: request.stepId,
      variant: request.variant,
      requestedAt: request.requestedAt,
      updatedAt: at,
      expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS,
    };
    const present = Object.entries(fields).filter(([, v]) => v !== undefined);
    try {
      // An update, not a put: a row that moved on to its next channel keeps the attempts before it.
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(request.userKey, request.idempotencyKey),
          UpdateExpression: `SET #s = :processing, ${present.map(([k]) => `#${k} = :${k}`).join(', ')} REMOVE nextChannel`,
          // New, deferred and now due, released for a retry after throttling, or handed to this channel by a
          // fallback. A row left `processing` by a crash stays claimed: what might have gone out never goes twice.
          ConditionExpression:
            'attribute_not_exists(sk) OR #s = :retrying OR (#s = :deferred AND deferredUntil <= :soon) OR (#s = :fallback AND nextChannel = :channel)',
          ExpressionAttributeNames: { '#s': 'status', ...Object.fromEntries(present.map(([k]) => [`#${k}`, k])) },
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':retrying': 'retrying',
            ':deferred': 'deferred',
            ':fallback': 'fallback',
            // A minute's tolerance: a deferred request coming back a moment early (clock skew) is still due.
            ':soon': new Date(now.getTime() + 60_000).toISOString(),
            ...Object.fromEntries(present.map(([k, v]) => [`:${k}`, v])),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? { claimed: true, previous: toEntry(Attributes) } : { claimed: true };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return { claimed: false };
      throw error;
    }
  }

  async record(
    userKey: UserKey,
    idempotencyKey: string,
    update: MessageLogUpdate,
    now: Date,
  ): Promise<MessageLogEntry> {
    const values: Record<string, unknown> = { ':status': update.status, ':at': now.toISOString() };
    const sets = ['#s = :status', 'updatedAt = :at'];
    for (const field of [
      'reason',
      'providerMessageId',
      'deferredUntil',
      'sentAt',
      'capsCounted',
      'nextChannel',
      'pushDeliveredTo',
      'coupons',
    ] as const) {
      if (update[field] !== undefined) {
        sets.push(`${field} = :${field}`);
        values[`:${field}`] = update[field];
      }
    }
    if (update.channel && !['processing', 'retrying'].includes(update.status)) {
      sets.push('attempts = list_append(if_not_exists(attempts, :none), :attempt)');
      values[':none'] = [];
      values[':attempt'] = [
        {
          channel: update.channel,
          status: update.status,
          ...(update.reason ? { reason: update.reason } : {}),
          at: now.toISOString(),
        },
      ];
      if (update.status === 'sent') {
        sets.push('deliveredVia = :via');
        values[':via'] = update.channel;
      }
    }
    // The new image costs no extra capacity and tells the counters what the outcome belongs to.
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyOf(userKey, idempotencyKey),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toEntry(Attributes ?? {});
  }

  async since(userKey: UserKey, since: string): Promise<MessageLogEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
      FilterExpression: 'requestedAt >= :since',
      ExpressionAttributeValues: { ':pk': statePartitionOf(userKey), ':msg': 'msg#', ':since': since },
    });
    return items.map(toEntry);
  }

  async convert(
    userKey: UserKey,
    idempotencyKey: string,
    at: string,
    revenue: number,
  ): Promise<MessageLogEntry | undefined> {
    const updated = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(userKey, idempotencyKey),
          UpdateExpression: 'SET convertedAt = :at, revenue = :revenue',
          ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(convertedAt)',
          ExpressionAttributeValues: { ':at': at, ':revenue': revenue },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return updated?.Attributes ? toEntry(updated.Attributes) : undefined;
  }

  async feedback(
    userKey: UserKey,
    idempotencyKey: string,
    feedback: Feedback,
    at: string,
  ): Promise<MessageLogEntry | undefined> {
    // The first time counts (unique opens and clicks): later ones leave the row as it is.
    const updated = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(userKey, idempotencyKey),
          UpdateExpression: 'SET #f = :at',
          ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(#f)',
          ExpressionAttributeNames: { '#f': FEEDBACK_FIELD[feedback] },
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return updated?.Attributes ? toEntry(updated.Attributes) : undefined;
  }

  async get(userKey: UserKey, idempotencyKey: string): Promise<MessageLogEntry | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keyOf(userKey, idempotencyKey), ConsistentRead: true }),
    );
    return Item ? toEntry(Item) : undefined;
  }

  async list(userKey: UserKey, limit: number): Promise<MessageLogEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
      ExpressionAttributeValues: { ':pk': statePartitionOf(userKey), ':msg': 'msg#' },
    });
    return items
      .map(toEntry)
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))
      .slice(0, limit);
  }
}
