// Fresh tables in the shared DynamoDB Local for one test file, and the real adapters over them.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Adapters } from '../../functions/adapters/Adapters.js';
import { awsContext, storedPorts } from '../../functions/adapters/aws/awsPorts.js';
import { cryptoRandom } from '../../functions/adapters/system.js';
import type { CapacityTally } from '../../functions/adapters/aws/dynamodb/documentClient.js';
import { createTables } from '../../functions/local/createTables.js';
import { tableNamesWithPrefix, tableVariables, type TableNames } from '../../functions/tables.js';
import { unconfiguredPorts } from './untouchedPorts.js';
import type { Clock } from '../../functions/core/system/ports.js';

/** The real DynamoDB ports over fresh tables; the queues, schedules and reports fail if a test calls them. */
export type TestTables = {
  endpoint: string;
  prefix: string;
  tables: TableNames;
  adapters: Adapters & { client: DynamoDBDocumentClient };
};

export async function freshTables(options: { clock?: Clock; tally?: CapacityTally } = {}): Promise<TestTables> {
  const endpoint = inject('dynamoEndpoint');
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  const tables = tableNamesWithPrefix(prefix);
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTables(client, tables);
  client.destroy();
  const aws = awsContext({ dynamoEndpoint: endpoint, clock: options.clock, tally: options.tally });
  const stored = storedPorts(aws, {
    ...tableVariables(tables),
    EVENT_RETENTION_DAYS: 90,
    JOURNEY_CACHE_TTL_SECONDS: 30,
  });
  const adapters = { ...stored, ...unconfiguredPorts(), random: cryptoRandom, client: aws.dynamo };
  return { endpoint, prefix, tables, adapters };
}

/** A clock that stands still until a test moves it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}
