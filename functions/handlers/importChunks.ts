// The handler of the import-chunk queue: one chunk of an uploaded file applied to profiles, once (none once the
// import is cancelled).

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { findImport, type ImportJobDeps, importRecords } from '../core/imports/importJobs.js';
import { queuedImportChunk } from '../routes/admin/imports.js';

export function createImportChunksHandler(deps: ImportJobDeps) {
  const logger = new Logger({ serviceName: 'retain-import-chunks' });
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    // A body that is not a chunk fails its record: after the queue's retries it lands in the DLQ. A chunk
    // received twice (SQS delivers at least once) is kept under its first record and applies nothing again.
    const { jobId, records, refused } = queuedImportChunk.parse(JSON.parse(record.body));
    const job = await findImport(jobId, deps);
    if (job.cancelled) {
      // Dropped, not failed: retrying it would only land it in the dead-letter queue.
      logger.info('import chunk dropped: the import was cancelled', { jobId, cancelled: job.cancelled });
      return;
    }
    const { chunk, repeated } = await importRecords(job, { customers: records, refused }, deps);
    logger.info('import chunk', { jobId, first: chunk.first, last: chunk.last, repeated });
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler((event, context) =>
      processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
}
