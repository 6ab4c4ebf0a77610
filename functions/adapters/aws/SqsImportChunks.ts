// An uploaded file's chunks onto the import-chunk queue, one message each, for the import-chunk worker.

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImportChunk, ImportChunkQueue } from '../../core/imports/importJobs.js';

export class SqsImportChunks implements ImportChunkQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobId: string, chunk: ImportChunk): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ jobId, ...chunk }) }),
    );
  }
}
