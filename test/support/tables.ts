// Fresh tables in the shared DynamoDB Local for one test file, and the real adapters over them.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { buildAdapters, parseEnvironment, type Adapters } from '../../functions/adapters/aws/environment.js';
import type { CapacityTally } from '../../functions/adapters/aws/dynamodb/documentClient.js';
import { createTables } from '../../functions/local/createTables.js';
import { tableEnvVar, tableNamesWithPrefix, type TableKey, type TableNames } from '../../functions/tables.js';
import type { Clock } from '../../functions/core/system/ports.js';

export type TestTables = { endpoint: string; prefix: string; tables: TableNames; adapters: Adapters };

export async function freshTables(options: { clock?: Clock; tally?: CapacityTally } = {}): Promise<TestTables> {
  const endpoint = inject('dynamoEndpoint');
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  const tables = tableNamesWithPrefix(prefix);
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createTables(client, tables);
  client.destroy();
  const env: Record<string, string> = { DYNAMODB_ENDPOINT: endpoint };
  for (const key of Object.keys(tables) as TableKey[]) env[tableEnvVar[key]] = tables[key];
  const adapters = buildAdapters(parseEnvironment(env), options.tally);
  if (options.clock) adapters.clock = options.clock;
  return { endpoint, prefix, tables, adapters };
}

/** A clock that stands still until a test moves it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}
