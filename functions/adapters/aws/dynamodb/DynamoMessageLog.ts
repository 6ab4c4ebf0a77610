// The message log in the State table (`msg#<idempotency key>` in the customer's partition).

import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Feedback, MessageLogEntry } from '../../../core/delivery/messageLog.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { DeliveryRequest } from '../../../core/journeys/instance.js';
import type { MessageLog, MessageLogUpdate } from '../../../ports.js';
import { statePartitionOf } from './DynamoUserStateStore.js';
import { queryAll } from './paging.js';

const keyOf = (userKey: UserKey, idempotencyKey: string) => ({ pk: statePartitionOf(userKey), sk: `msg#${idempotencyKey}` });
/** The log is kept a little over a year: long enough for yearly comparisons, short enough to forget. */
const RETENTION_SECONDS = 400 * 86_400;
const FEEDBACK_FIELD: Record<Feedback, keyof MessageLogEntry> = {
  delivered: 'deliveredAt',
  opened: 'openedAt',
  clicked: 'clickedAt',
  bounced: 'bouncedAt',
  complained: 'complainedAt',
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

  async claim(request: DeliveryRequest, now: Date): Promise<{ claimed: true; previous?: MessageLogEntry } | { claimed: false }> {
    const at = now.toISOString();
    const entry: MessageLogEntry = {
      userKey: request.userKey,
      idempotencyKey: request.idempotencyKey,
      channel: request.channel,
      template: request.template,
      category: request.category,
      journeyId: request.journeyId,
      stepId: request.stepId,
      variant: request.variant,
      status: 'processing',
      requestedAt: request.requestedAt,
      updatedAt: at,
    };
    try {
      const { Attributes } = await this.client.send(
        new PutCommand({
          TableName: this.table,
          ReturnValues: 'ALL_OLD',
          Item: { ...keyOf(request.userKey, request.idempotencyKey), ...entry, expiresAt: Math.floor(now.getTime() / 1000) + RETENTION_SECONDS },
          // New, or deferred and now due, or released for a retry after throttling. A row left in
          // `processing` by a crash stays claimed: a message that might have gone out is never sent twice.
          ConditionExpression:
            'attribute_not_exists(sk) OR #s = :retrying OR (#s = :deferred AND deferredUntil <= :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          // A minute's tolerance: a deferred request coming back a moment early (clock skew) is still due.
          ExpressionAttributeValues: { ':retrying': 'retrying', ':deferred': 'deferred', ':now': new Date(now.getTime() + 60_000).toISOString() },
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
  ): Promise<void> {
    const values: Record<string, unknown> = { ':status': update.status, ':at': now.toISOString() };
    const sets = ['#s = :status', 'updatedAt = :at'];
    for (const field of ['reason', 'providerMessageId', 'deferredUntil', 'sentAt', 'capsCounted'] as const) {
      if (update[field] !== undefined) {
        sets.push(`${field} = :${field}`);
        values[`:${field}`] = update[field];
      }
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyOf(userKey, idempotencyKey),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async feedback(userKey: UserKey, idempotencyKey: string, feedback: Feedback, at: string): Promise<MessageLogEntry | undefined> {
    try {
      // The first time counts (unique opens and clicks): later ones leave the row as it is.
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(userKey, idempotencyKey),
          UpdateExpression: 'SET #f = :at',
          ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(#f)',
          ExpressionAttributeNames: { '#f': FEEDBACK_FIELD[feedback] },
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toEntry(Attributes) : undefined;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async get(userKey: UserKey, idempotencyKey: string): Promise<MessageLogEntry | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: keyOf(userKey, idempotencyKey), ConsistentRead: true }));
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
