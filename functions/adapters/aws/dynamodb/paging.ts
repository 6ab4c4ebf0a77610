// Reading more than one page: every page of a Query, every key of a BatchGetItem (with its retries).

import {
  BatchGetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../../../core/errors.js';
import { MAX_BATCH_ATTEMPTS, backoffMs, chunk, sleep } from './retry.js';

export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Reads the keys in chunks of 100, in parallel, retrying what DynamoDB left unprocessed. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(
    chunk(keys, 100).map(async (part) => {
      const found: Record<string, unknown>[] = [];
      let pending = part;
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_BATCH_ATTEMPTS) throw new StoreUnavailableError(`${table} kept refusing reads`);
        if (attempt > 1) await sleep(backoffMs(attempt - 1));
        const result = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys ?? [];
      }
      return found;
    }),
  );
  return pages.flat();
}

/** Every Config item of one kind (journey heads, segments, templates, credentials) through the byKind index. */
export function queryKind(
  client: DynamoDBDocumentClient,
  table: string,
  kind: string,
): Promise<Record<string, unknown>[]> {
  return queryAll(client, {
    TableName: table,
    IndexName: 'byKind',
    KeyConditionExpression: 'kind = :k',
    ExpressionAttributeValues: { ':k': kind },
  });
}
