// Frequency caps: one counter item per rule and window in the customer's partition, all counted at once.

import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapCounter } from '../../../core/delivery/guards.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { FrequencyCaps } from '../../../ports.js';
import { statePartitionOf } from './DynamoUserStateStore.js';

export class DynamoFrequencyCaps implements FrequencyCaps {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async consume(userKey: UserKey, counters: CapCounter[]): Promise<{ ok: true } | { capped: string }> {
    if (counters.length === 0) return { ok: true };
    const full = counters.find((c) => c.rule.limit === 0);
    if (full) return { capped: full.rule.id };
    const updates = counters.map((c) => ({
      TableName: this.table,
      Key: { pk: statePartitionOf(userKey), sk: c.key },
      UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':limit': counters[0].rule.limit, ':expires': c.expiresAt },
    }));
    updates.forEach((u, i) => (u.ExpressionAttributeValues[':limit'] = counters[i].rule.limit));
    if (updates.length === 1) {
      // One window: a single conditional ADD (a transaction would cost twice the write units).
      try {
        await this.client.send(new UpdateCommand(updates[0]));
        return { ok: true };
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return { capped: counters[0].rule.id };
        throw error;
      }
    }
    try {
      // Each window is one conditional ADD; in a transaction so a message refused by one window is not
      // counted in another. DynamoDB serialises them, so 50 concurrent sends never exceed a limit.
      await this.client.send(new TransactWriteCommand({ TransactItems: updates.map((Update) => ({ Update })) }));
      return { ok: true };
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      // Contention (TransactionConflict) is not a full window: let the queue retry the message.
      if (index < 0) throw error;
      return { capped: counters[index].rule.id };
    }
  }
}
