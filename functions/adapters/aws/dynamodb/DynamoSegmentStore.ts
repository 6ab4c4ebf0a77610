// Saved segments in the Config table, listed through the byKind index.

import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Segment } from '../../../core/segments/segment.js';
import type { SegmentStore } from '../../../core/segments/ports.js';
import { queryKind } from './paging.js';

const keyOf = (id: string) => ({ pk: `segment#${id}`, sk: 'head' });

export class DynamoSegmentStore implements SegmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Segment | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: keyOf(id) }));
    return Item ? (Item.segment as Segment) : undefined;
  }

  async put(segment: Segment): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keyOf(segment.id), kind: 'segment', id: segment.id, segment },
      }),
    );
  }

  async list(): Promise<Segment[]> {
    const items = await queryKind(this.client, this.table, 'segment');
    return items.map((i) => i.segment as Segment);
  }

  async delete(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: keyOf(id), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
