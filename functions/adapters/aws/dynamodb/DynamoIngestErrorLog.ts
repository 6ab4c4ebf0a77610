// The ingest-error log in the Config table: newest first, spread over a few partitions, expiring by TTL.

import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { INGEST_ERROR_RETENTION_DAYS, type IngestError } from '../../../core/events/ingestError.js';
import type { IngestErrorLog } from '../../../core/events/ports.js';
import { batchWrite } from './batchWrite.js';

/** An app bug can reject thousands of events a second; spreading them keeps one partition from throttling. */
const SHARDS = 4;

export class DynamoIngestErrorLog implements IngestErrorLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(errors: IngestError[]): Promise<void> {
    const shard = Math.floor(Math.random() * SHARDS);
    await batchWrite(
      this.client,
      this.table,
      errors.map((e) => ({
        PutRequest: {
          Item: {
            pk: `ingest-errors#${shard}`,
            sk: `${e.receivedAt}#${randomUUID()}`,
            expiresAt: Math.floor(Date.parse(e.receivedAt) / 1000) + INGEST_ERROR_RETENTION_DAYS * 86_400,
            error: e,
          },
        },
      })),
    );
  }

  async listRecent(limit: number): Promise<IngestError[]> {
    const pages = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `ingest-errors#${shard}` },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => p.Items ?? [])
      .sort((a, b) => String(b.sk).localeCompare(String(a.sk)))
      .slice(0, limit)
      .map((item) => item.error as IngestError);
  }
}
