// The handler of the Events stream's second consumer: every accepted event into the archive
// (Firehose → S3 Parquet), flattened, for the SQL reports. Nothing here reads a table.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { archiveRecordOf, type ArchiveRecord } from '../core/analytics/archiveRecord.js';
import { fromEventItem } from '../adapters/aws/dynamodb/DynamoEventStore.js';
import type { EventArchive } from '../core/analytics/ports.js';

export function createArchiveEventsHandler(archive: EventArchive) {
  const logger = new Logger({ serviceName: 'retain-archive-events' });
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const records: ArchiveRecord[] = [];
      for (const record of event.Records) {
        if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
        try {
          records.push(
            archiveRecordOf(fromEventItem(unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>))),
          );
        } catch (error) {
          // An unreadable image is process-events' to report; the archive skips it rather than block the shard.
          logger.warn('unarchivable event record', {
            sequence: record.dynamodb.SequenceNumber,
            error: (error as Error).message,
          });
        }
      }
      // All or nothing: a failed batch is retried whole (the archive tolerates repeats; reports de-duplicate).
      if (records.length > 0) await archive.append(records);
      return { batchItemFailures: [] };
    });
}
