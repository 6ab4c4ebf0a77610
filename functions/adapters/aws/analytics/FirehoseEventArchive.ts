// The event archive in AWS: records to Amazon Data Firehose (PutRecordBatch, 500 a call), which converts
// them to Parquet against the Glue table and writes them to S3 partitioned by day.

import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { ArchiveRecord } from '../../../core/analytics/archiveRecord.js';
import type { EventArchive } from '../../../core/analytics/ports.js';
import { StoreUnavailableError } from '../../../core/errors.js';
import { chunk, sleep } from '../dynamodb/retry.js';

const BATCH = 500;
const ATTEMPTS = 4;

export class FirehoseEventArchive implements EventArchive {
  constructor(
    private readonly firehose: FirehoseClient,
    private readonly streamName: string,
  ) {}

  async append(records: ArchiveRecord[]): Promise<void> {
    for (const part of chunk(records, BATCH)) {
      let pending = part.map((r) => ({ Data: Buffer.from(`${JSON.stringify(r)}\n`) }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > ATTEMPTS)
          throw new StoreUnavailableError(`Firehose kept refusing ${pending.length} archive records`);
        if (attempt > 1) await sleep(100 * 2 ** attempt);
        const result = await this.firehose.send(
          new PutRecordBatchCommand({ DeliveryStreamName: this.streamName, Records: pending }),
        );
        // Only the records that failed are sent again (Firehose answers per record).
        pending = (result.RequestResponses ?? []).flatMap((r, j) => (r.ErrorCode ? [pending[j]] : []));
      }
    }
  }
}
