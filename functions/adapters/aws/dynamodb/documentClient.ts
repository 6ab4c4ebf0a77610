// The DynamoDB document client every adapter shares, with an optional tally of consumed capacity.

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InitializeMiddleware } from '@smithy/types';

/** Capacity units consumed, summed over every call that returned them (the benchmark reads this). */
export type CapacityTally = { readUnits: number; writeUnits: number };

export function createDocumentClient(config: DynamoDBClientConfig = {}, tally?: CapacityTally): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
  if (tally) client.middlewareStack.add(tallyCapacity(tally), { step: 'initialize', name: 'retainCapacityTally' });
  return client;
}

type ConsumedCapacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

/** The middleware sees the low-level client's command names (GetItemCommand), not lib-dynamodb's. */
const READS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'GetCommand',
  'BatchGetCommand',
]);

// biome-ignore lint/suspicious/noExplicitAny: the middleware sits on every command, whatever its input and output
function tallyCapacity(tally: CapacityTally): InitializeMiddleware<any, any> {
  return (next, context) => async (args) => {
    (args.input as Record<string, unknown>).ReturnConsumedCapacity ??= 'TOTAL';
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity as
      | ConsumedCapacity
      | ConsumedCapacity[]
      | undefined;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
      (sum, c) => sum + (c.CapacityUnits ?? 0),
      0,
    );
    if (READS.has(context.commandName ?? '')) tally.readUnits += units;
    else tally.writeUnits += units;
    return result;
  };
}
