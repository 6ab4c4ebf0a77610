// Frequency caps: one counter item per rule and window in the customer's partition, all counted at once.

import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapCounter } from '../../../core/delivery/guards.js';
import type { UserKey } from '../../../core/events/userKey.js';
import type { FrequencyCaps } from '../../../core/delivery/ports.js';
import { statePartitionOf } from './DynamoUserStateStore.js';
import { batchGetAll } from './paging.js';

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
    for (const [i, u] of updates.entries()) u.ExpressionAttributeValues[':limit'] = counters[i].rule.limit;
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

  async full(candidates: { userKey: UserKey; counters: CapCounter[] }[]): Promise<Map<UserKey, string>> {
    const rules = new Map<string, { userKey: UserKey; counter: CapCounter }>();
    for (const { userKey, counters } of candidates) {
      for (const counter of counters)
        rules.set(`${statePartitionOf(userKey)}\u0000${counter.key}`, { userKey, counter });
    }
    const full = new Map<UserKey, string>();
    for (const { userKey, counter } of rules.values()) if (counter.rule.limit === 0) full.set(userKey, counter.rule.id);
    const keys = [...rules.keys()].map((k) => {
      const [pk, sk] = k.split('\u0000');
      return { pk, sk };
    });
    for (const item of await batchGetAll(this.client, this.table, keys)) {
      const entry = rules.get(`${item.pk as string}\u0000${item.sk as string}`);
      if (entry && Number(item.count) >= entry.counter.rule.limit) full.set(entry.userKey, entry.counter.rule.id);
    }
    return full;
  }
}
