// BatchWriteItem in chunks of 25, in parallel, retrying UnprocessedItems with backoff.

import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../../../core/errors.js';
import { MAX_BATCH_ATTEMPTS, backoffMs, chunk, sleep } from './retry.js';

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

export async function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
): Promise<void> {
  await Promise.all(chunk(requests, 25).map((part) => writeChunk(client, table, part)));
}

async function writeChunk(client: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 1; attempt <= MAX_BATCH_ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1));
    try {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    } catch (error) {
      // Throttling and 5xx are worth another try; anything else (validation) is a bug to surface now.
      if (!isRetryable(error)) throw error;
    }
    if (pending.length === 0) return;
  }
  throw new StoreUnavailableError(
    `${table} did not accept ${pending.length} writes after ${MAX_BATCH_ATTEMPTS} attempts`,
  );
}

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    e.$retryable !== undefined ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    [
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
      'RequestLimitExceeded',
      'InternalServerError',
    ].includes(e.name ?? '')
  );
}
