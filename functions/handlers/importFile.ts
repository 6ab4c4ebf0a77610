// The handler of the import-file queue (S3's notification of an uploaded file): the file read whole once to
// check it and find the customers it lists twice, then again to queue its chunks, then deleted.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { CsvMapping } from '../core/imports/csvMapping.js';
import {
  fileOrderChunks,
  type ImportChunkQueue,
  type ImportFiles,
  type ImportJobStore,
  type ImportUpload,
  repeatedCustomers,
} from '../core/imports/importJobs.js';
import { emptyPinpointTally } from '../core/imports/pinpointEndpoints.js';
import { jobOfKey } from '../adapters/aws/S3ImportFiles.js';
import { uploadedFileRecords, whyUnreadable } from '../adapters/importFileReaders.js';
import { MAX_RECORDS_PER_CHUNK } from '../routes/admin/imports.js';

/** How many chunks the worker queues between two looks at whether the import was cancelled. */
const CANCEL_CHECK_EVERY = 20;

/** Well under SQS's message size (256 KiB in older regions' quotas), with room for the job id. */
export const MAX_QUEUED_CHUNK_BYTES = 200 * 1024;

export type ImportFileDeps = {
  imports: Pick<ImportJobStore, 'get' | 'updateUpload'>;
  importFiles: Pick<ImportFiles, 'read' | 'remove'>;
  importChunks: ImportChunkQueue;
};

/**
 * Reads the job's uploaded file. A file the readers cannot read fails the job and queues nothing: the first pass
 * reads it all before any chunk is queued, so a file broken at its last row changes no profile. A job already
 * read (S3 notifies at least once) is left alone; one left `reading` by a crash is read again, its chunks
 * applied once each all the same (they are kept by first record).
 */
export async function readImportFile(jobId: string, deps: ImportFileDeps): Promise<ImportUpload | undefined> {
  const job = await deps.imports.get(jobId);
  if (!job?.upload) return undefined;
  if (job.upload.status === 'read' || job.upload.status === 'failed') return job.upload;
  const { status: _status, error: _error, ...options } = job.upload;
  if (job.cancelled) {
    await deps.importFiles.remove(jobId);
    return job.upload;
  }

  const tally = emptyPinpointTally();
  let mapping: CsvMapping | undefined;
  let repeated: Set<string>;
  try {
    const records = uploadedFileRecords(job, deps.importFiles.read(jobId), { tally, onMapping: (m) => (mapping = m) });
    repeated = await repeatedCustomers(records);
  } catch (error) {
    const reason = whyUnreadable(error);
    if (!reason) throw error;
    const failed: ImportUpload = { ...options, status: 'failed', error: reason };
    await deps.imports.updateUpload(jobId, failed);
    await deps.importFiles.remove(jobId);
    return failed;
  }
  const endpoints = job.source === 'pinpoint' ? { endpoints: tally } : {};
  await deps.imports.updateUpload(jobId, { ...options, status: 'reading', ...endpoints }, mapping);

  const again = uploadedFileRecords({ ...job, mapping: mapping ?? job.mapping }, deps.importFiles.read(jobId), {
    tally: emptyPinpointTally(),
  });
  let chunks = 0;
  for await (const chunk of fileOrderChunks(again, repeated, MAX_RECORDS_PER_CHUNK, MAX_QUEUED_CHUNK_BYTES)) {
    // A cancellation during a long file stops the queueing too (the chunk worker drops what is queued).
    if (chunks % CANCEL_CHECK_EVERY === 0 && (await deps.imports.get(jobId))?.cancelled) break;
    await deps.importChunks.send(jobId, chunk);
    chunks++;
  }
  const read: ImportUpload = { ...options, status: 'read', chunks, ...endpoints };
  await deps.imports.updateUpload(jobId, read);
  // The file holds customers' addresses: once its chunks are queued it is not kept (the bucket's lifecycle
  // rule deletes what a failure leaves behind).
  await deps.importFiles.remove(jobId);
  return read;
}

export function createImportFileHandler(deps: ImportFileDeps) {
  const logger = new Logger({ serviceName: 'retain-import-file' });
  const processor = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord) => {
    const notification = JSON.parse(record.body) as Partial<S3Event> & { Event?: string };
    // S3 sends one test event when the notification is configured.
    if (notification.Event === 's3:TestEvent') return;
    for (const s3Record of notification.Records ?? []) {
      const jobId = jobOfKey(s3Record.s3.object.key);
      if (!jobId) continue;
      const upload = await readImportFile(jobId, deps);
      logger.info('import file', { jobId, status: upload?.status ?? 'no such job', chunks: upload?.chunks });
    }
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler((event, context) =>
      processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false }),
    );
}
