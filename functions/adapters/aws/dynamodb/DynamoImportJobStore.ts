// Import jobs in the Config table: the job under `import#<id>`, each chunk's report beside it keyed by its first record,
// and one line per job under `imports`, sorted by creation, where the latest are found.

import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CsvMapping } from '../../../core/imports/csvMapping.js';
import type { ChunkReport, ImportJob, ImportJobStore, ImportUpload } from '../../../core/imports/importJobs.js';
import { unlessConditionFails } from './conditionalWrite.js';
import { queryAll } from './paging.js';

const pk = (id: string) => `import#${id}`;
const LATEST = 'imports';
// Zero-padded so the chunks sort by record number (a file has fewer than 10¹² rows).
const chunkSk = (first: number) => `chunk#${String(first).padStart(12, '0')}`;

export class DynamoImportJobStore implements ImportJobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(job: ImportJob): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk: pk(job.id), sk: 'v#0', job },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: this.table, Item: { pk: LATEST, sk: `${job.createdAt}#${job.id}`, id: job.id } } },
        ],
      }),
    );
  }

  async latest(limit: number): Promise<ImportJob[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': LATEST },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const jobs = await Promise.all(Items.map((item) => this.get(item.id as string)));
    return jobs.filter((job) => job !== undefined);
  }

  async get(id: string): Promise<ImportJob | undefined> {
    // Strongly consistent: a chunk applied just after a cancellation would send what the marketer stopped.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'v#0' }, ConsistentRead: true }),
    );
    return Item?.job as ImportJob | undefined;
  }

  async saveChunk(id: string, chunk: ChunkReport): Promise<ChunkReport> {
    const put = this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: pk(id), sk: chunkSk(chunk.first), chunk },
        // Two copies of a chunk sent at once: the first kept wins, the other answers it.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (await unlessConditionFails(put)) return chunk;
    return (await this.getChunk(id, chunk.first)) ?? chunk;
  }

  async getChunk(id: string, first: number): Promise<ChunkReport | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: chunkSk(first) }, ConsistentRead: true }),
    );
    return Item?.chunk as ChunkReport | undefined;
  }

  async chunks(id: string): Promise<ChunkReport[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
      ExpressionAttributeValues: { ':pk': pk(id), ':chunk': 'chunk#' },
    });
    return items.map((item) => item.chunk as ChunkReport);
  }

  async updateUpload(id: string, upload: ImportUpload, mapping?: CsvMapping): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(id), sk: 'v#0' },
        UpdateExpression: mapping ? 'SET job.upload = :upload, job.mapping = :mapping' : 'SET job.upload = :upload',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':upload': upload, ...(mapping ? { ':mapping': mapping } : {}) },
      }),
    );
  }

  async cancel(id: string, cancelled: NonNullable<ImportJob['cancelled']>): Promise<ImportJob> {
    const update = this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(id), sk: 'v#0' },
        UpdateExpression: 'SET job.cancelled = :cancelled',
        // The first cancellation is the one on record.
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(job.cancelled)',
        ExpressionAttributeValues: { ':cancelled': cancelled },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const written = await unlessConditionFails(update);
    if (written?.Attributes) return written.Attributes.job as ImportJob;
    const job = await this.get(id);
    if (!job) throw new Error(`import ${id} vanished while being cancelled`);
    return job;
  }
}
