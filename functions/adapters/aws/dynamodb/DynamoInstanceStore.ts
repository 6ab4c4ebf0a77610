// Journey instances in the State table, in the customer's partition, with a per-journey enrollment item
// that enforces the re-entry policy in the same transaction that creates the instance.

import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { JourneyInstance, MessageOutcome } from '../../../core/journeys/instance.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { InstanceStore, MessageOutcomes, ReentryPolicy } from '../../../core/journeys/ports.js';
import { statePartitionOf } from './DynamoUserStateStore.js';
import { batchGetAll, queryAll } from './paging.js';

const instanceKey = (i: Pick<JourneyInstance, 'userKey' | 'journeyId' | 'instanceId'>) => ({
  pk: statePartitionOf(i.userKey),
  sk: `ji#${i.journeyId}#${i.instanceId}`,
});
const enrollmentKey = (userKey: UserKey, journeyId: string) => ({
  pk: statePartitionOf(userKey),
  sk: `je#${journeyId}`,
});
/** Ended instances stay readable for reports and `GET …/instances` for half a year, then expire. */
const ENDED_RETENTION_SECONDS = 180 * 86_400;

function instanceItem(instance: JourneyInstance) {
  return {
    ...instanceKey(instance),
    journeyId: instance.journeyId,
    status: instance.status,
    revision: instance.revision,
    doc: JSON.stringify(instance),
    ...(instance.endedAt
      ? { expiresAt: Math.floor(Date.parse(instance.endedAt) / 1000) + ENDED_RETENTION_SECONDS }
      : {}),
  };
}

const fromItem = (item: Record<string, unknown>) => JSON.parse(item.doc as string) as JourneyInstance;

/** The enrollment update, guarded as the journey's re-entry policy says. */
function enrollmentCondition(policy: ReentryPolicy, now: Date) {
  switch (policy.policy) {
    case 'once':
      return { ConditionExpression: 'attribute_not_exists(sk)', values: {} };
    case 'one-at-a-time':
      return { ConditionExpression: 'attribute_not_exists(activeInstanceId)', values: {} };
    case 'after':
      return {
        ConditionExpression:
          'attribute_not_exists(activeInstanceId) AND (attribute_not_exists(lastEnteredAt) OR lastEnteredAt <= :cutoff)',
        values: { ':cutoff': new Date(now.getTime() - policy.days * 86_400_000).toISOString() },
      };
  }
}

export class DynamoInstanceStore implements InstanceStore, MessageOutcomes {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async enter(instance: JourneyInstance, policy: ReentryPolicy, now: Date): Promise<'entered' | 'exists' | 'refused'> {
    const guard = enrollmentCondition(policy, now);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: instanceItem(instance),
                ConditionExpression: 'attribute_not_exists(sk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: enrollmentKey(instance.userKey, instance.journeyId),
                UpdateExpression: 'SET activeInstanceId = :id, lastEnteredAt = :now ADD entries :one',
                ConditionExpression: guard.ConditionExpression,
                ExpressionAttributeValues: {
                  ':id': instance.instanceId,
                  ':now': now.toISOString(),
                  ':one': 1,
                  ...guard.values,
                },
              },
            },
          ],
        }),
      );
      return 'entered';
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      return reasons[0]?.Code === 'ConditionalCheckFailed' ? 'exists' : 'refused';
    }
  }

  async get(userKey: UserKey, journeyId: string, instanceId: string): Promise<JourneyInstance | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: instanceKey({ userKey, journeyId, instanceId }),
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async save(instance: JourneyInstance): Promise<'saved' | 'conflict'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: instanceItem(instance),
          ConditionExpression: 'revision = :previous',
          ExpressionAttributeValues: { ':previous': instance.revision - 1 },
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'conflict';
      throw error;
    }
    if (instance.status !== 'active') await this.release(instance);
    return 'saved';
  }

  async listActive(userKey: UserKey): Promise<JourneyInstance[]> {
    return this.query(userKey, 'ji#', true);
  }

  async list(userKey: UserKey, journeyId?: string): Promise<JourneyInstance[]> {
    return this.query(userKey, journeyId ? `ji#${journeyId}#` : 'ji#', false);
  }

  async outcomesOf(userKey: UserKey, idempotencyKeys: string[]): Promise<Record<string, MessageOutcome>> {
    const outcomes: Record<string, MessageOutcome> = {};
    const keys = [...new Set(idempotencyKeys)].map((k) => ({ pk: statePartitionOf(userKey), sk: `msg#${k}` }));
    for (const item of await batchGetAll(this.client, this.table, keys)) {
      // The message log row written by the senders; its feedback timestamps say what happened.
      outcomes[String(item.sk).slice('msg#'.length)] = {
        // E-mail has delivery receipts; for push and text messages, the provider's acceptance is all we learn.
        delivered: item.deliveredAt !== undefined || (item.status === 'sent' && item.deliveredVia !== 'email'),
        opened: item.openedAt !== undefined,
        clicked: item.clickedAt !== undefined,
        ...(item.deliveredVia ? { via: item.deliveredVia as string } : {}),
      };
    }
    return outcomes;
  }

  /** Frees the journey for the customer's next entry; a newer instance holding it is left alone. */
  private async release(instance: JourneyInstance): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: enrollmentKey(instance.userKey, instance.journeyId),
          UpdateExpression: 'REMOVE activeInstanceId',
          ConditionExpression: 'activeInstanceId = :id',
          ExpressionAttributeValues: { ':id': instance.instanceId },
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  private async query(userKey: UserKey, prefix: string, activeOnly: boolean): Promise<JourneyInstance[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(activeOnly ? { FilterExpression: '#s = :active', ExpressionAttributeNames: { '#s': 'status' } } : {}),
      ExpressionAttributeValues: {
        ':pk': statePartitionOf(userKey),
        ':prefix': prefix,
        ...(activeOnly ? { ':active': 'active' } : {}),
      },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }
}
