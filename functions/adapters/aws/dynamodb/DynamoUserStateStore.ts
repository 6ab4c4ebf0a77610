// The State table's per-user partition (journey instances, caps, message log), erased in one sweep.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserKey } from '../../../core/events/userKey.js';
import type { UserStateStore } from '../../../core/profiles/ports.js';
import { tableSpecs } from '../../../tables.js';
import { deletePartition } from './deletePartition.js';

export const statePartitionOf = (userKey: UserKey) => `u#${userKey}`;

export class DynamoUserStateStore implements UserStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  deleteAll(userKey: UserKey): Promise<number> {
    const { partitionKey, sortKey } = tableSpecs.state;
    return deletePartition(
      this.client,
      this.table,
      { partition: partitionKey.name, sort: sortKey.name },
      statePartitionOf(userKey),
    );
  }
}
