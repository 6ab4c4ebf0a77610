// Erasure records in the Config table: one item per erasure, holding counts and places, never the person.

import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ErasureRecord } from '../../../core/profiles/erasure.js';
import type { ErasureLog } from '../../../core/profiles/ports.js';

const key = (id: string) => ({ pk: `erasure#${id}`, sk: 'v#0' });

export class DynamoErasureLog implements ErasureLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(record: ErasureRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...key(record.id), record } }));
  }

  async get(id: string): Promise<ErasureRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: key(id) }));
    return Item?.record as ErasureRecord | undefined;
  }
}
