// Erasure records in the Config table: one item per erasure, holding counts and places, never the person, and a
// marker per erasure still waiting for the archive rewrite so the nightly job finds them with one query.

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { awaitsArchiveRewrite } from '../../../core/profiles/archiveErasure.js';
import type { ErasureRecord } from '../../../core/profiles/erasure.js';
import type { ErasureLog } from '../../../core/profiles/ports.js';

const key = (id: string) => ({ pk: `erasure#${id}`, sk: 'v#0' });
const PENDING = 'erasures#archive-pending';

export class DynamoErasureLog implements ErasureLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(record: ErasureRecord): Promise<void> {
    // The marker is written before the record and removed after it: a crash in between leaves a marker whose
    // record is either pending (the job does it) or done (the job skips it), never a pending record unmarked.
    const marker = { pk: PENDING, sk: record.id };
    if (awaitsArchiveRewrite(record)) await this.client.send(new PutCommand({ TableName: this.table, Item: marker }));
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...key(record.id), record } }));
    if (!awaitsArchiveRewrite(record))
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: marker }));
  }

  async get(id: string): Promise<ErasureRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: key(id) }));
    return Item?.record as ErasureRecord | undefined;
  }

  async pending(): Promise<ErasureRecord[]> {
    const records: ErasureRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PENDING },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const record = await this.get(item.sk as string);
        if (record && awaitsArchiveRewrite(record)) records.push(record);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }
}
