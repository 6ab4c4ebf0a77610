// Reads the Events table stream from DynamoDB Local and hands Lambda-shaped batches to process-events.

import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { writeFileAtomically } from '../adapters/local/writeFileAtomically.js';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export type StreamPollerOptions = {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  /** As the event source mapping in AWS: up to 100 records per invocation. */
  batchSize?: number;
  idleMs?: number;
  /** Retries of a failing record before it goes to the dead-letter file (the on-failure destination). */
  maxRetries?: number;
  deadLetterFile?: string;
  /** Where the last processed position of each shard is kept, so a restart neither loses nor repeats. */
  checkpointFile?: string;
  onError?: (error: Error) => void;
};

type Shard = { iterator?: string; closed: boolean };

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly tables: DynamoDBClient;
  private readonly shards = new Map<string, Shard>();
  private readonly checkpoints: Record<string, string>;
  private streamArn?: string;
  private running = false;
  private loop?: Promise<void>;
  private lastDescribe = 0;
  private round = 0;
  private lastEmptyRound = -1;
  readonly deadLetters: { sequenceNumber: string; reason: string }[] = [];

  constructor(private readonly options: StreamPollerOptions) {
    const config = { endpoint: options.endpoint, region: 'local', credentials };
    this.streams = new DynamoDBStreamsClient(config);
    this.tables = new DynamoDBClient(config);
    this.checkpoints =
      options.checkpointFile && existsSync(options.checkpointFile)
        ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>)
        : {};
  }

  async start(): Promise<void> {
    const { Table } = await this.tables.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    this.streamArn = Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`${this.options.tableName} has no stream`);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.streams.destroy();
    this.tables.destroy();
  }

  /** Resolves once every record written before the call has been handed to the handler. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const target = this.round + 1;
    const started = Date.now();
    while (this.lastEmptyRound < target) {
      if (Date.now() - started > timeoutMs) throw new Error('the Events stream did not drain in time');
      await sleep(20);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const delivered = await this.pollOnce();
        if (delivered === 0) {
          this.lastEmptyRound = this.round;
          await sleep(this.options.idleMs ?? 100);
        }
        this.round++;
      } catch (error) {
        this.options.onError?.(error as Error);
        await sleep(500);
      }
    }
  }

  private async pollOnce(): Promise<number> {
    if (Date.now() - this.lastDescribe > 1000) await this.discoverShards();
    let delivered = 0;
    for (const [shardId, shard] of this.shards) {
      if (shard.closed || !shard.iterator) continue;
      let result: GetRecordsCommandOutput;
      try {
        result = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.options.batchSize ?? 100 }),
        );
      } catch (error) {
        // DynamoDB Local numbers stream records across all tables, so an iterator taken on an empty shard
        // can point before the shard's first record and be refused as "trimmed": take a fresh one.
        const name = (error as Error).name;
        if (name !== 'TrimmedDataAccessException' && name !== 'ExpiredIteratorException') throw error;
        shard.iterator = await this.iteratorFor(shardId);
        delivered += 1; // not an empty round: the shard has not been read yet
        continue;
      }
      shard.iterator = result.NextShardIterator;
      if (!shard.iterator) shard.closed = true;
      const records = result.Records ?? [];
      if (records.length === 0) continue;
      // The event source mapping's filter: only INSERTs reach process-events.
      const inserts = records.filter((r) => r.eventName === 'INSERT').map((r) => this.toLambdaRecord(r));
      if (inserts.length > 0) await this.deliver(inserts);
      delivered += records.length;
      this.checkpoint(shardId, records[records.length - 1].dynamodb!.SequenceNumber!);
    }
    return delivered;
  }

  private async discoverShards(): Promise<void> {
    this.lastDescribe = Date.now();
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      for (const { ShardId } of StreamDescription?.Shards ?? []) {
        if (!ShardId || this.shards.has(ShardId)) continue;
        const iterator = await this.iteratorFor(ShardId);
        this.shards.set(ShardId, { iterator, closed: !iterator });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** Resumes after the last checkpoint, or from the oldest record of a shard never read. */
  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  /**
   * Invokes the handler and honours ReportBatchItemFailures: everything from the lowest reported record is
   * retried; a record that fails every retry goes to the dead-letter file and the rest carries on.
   */
  private async deliver(records: DynamoDBRecord[]): Promise<void> {
    let pending = records;
    let attempt = 0;
    while (pending.length > 0) {
      let failedAt: number;
      let reason: string;
      try {
        const response = await this.options.handler({ Records: pending });
        const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failedAt = pending.findIndex((r) => failed.has(r.dynamodb!.SequenceNumber!));
        reason = 'reported as a batch item failure';
      } catch (error) {
        failedAt = 0;
        reason = (error as Error).message;
      }
      if (failedAt < 0) return;
      pending = pending.slice(failedAt);
      if (attempt < (this.options.maxRetries ?? 3)) {
        attempt++;
        await sleep(50 * 2 ** attempt);
        continue;
      }
      this.deadLetter(pending[0], reason);
      pending = pending.slice(1);
      attempt = 0;
    }
  }

  private deadLetter(record: DynamoDBRecord, reason: string): void {
    const sequenceNumber = record.dynamodb!.SequenceNumber!;
    this.deadLetters.push({ sequenceNumber, reason });
    const file = this.options.deadLetterFile;
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), reason, record })}\n`);
    }
    this.options.onError?.(new Error(`stream record ${sequenceNumber} sent to the dead-letter file: ${reason}`));
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    const file = this.options.checkpointFile;
    if (file) writeFileAtomically(file, JSON.stringify(this.checkpoints));
  }

  private toLambdaRecord(record: StreamRecord): DynamoDBRecord {
    const d = record.dynamodb!;
    return {
      eventID: record.eventID ?? randomUUID(),
      eventName: record.eventName as DynamoDBRecord['eventName'],
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'local',
      eventSourceARN: this.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: d.ApproximateCreationDateTime
          ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000)
          : undefined,
        Keys: d.Keys as never,
        NewImage: d.NewImage as never,
        SequenceNumber: d.SequenceNumber,
        SizeBytes: d.SizeBytes,
        StreamViewType: d.StreamViewType as never,
      },
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
