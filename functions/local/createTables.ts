// Creates the tables of functions/tables.ts in DynamoDB Local, the same definitions the CDK stack deploys.

import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { tableSpecs, type TableKey, type TableNames, type TableSpec, type KeyAttribute } from '../tables.js';

export function createTableInput(spec: TableSpec, name: string): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  const keySchema = (pk: KeyAttribute, sk?: KeyAttribute) => {
    attributes.set(pk.name, pk);
    if (sk) attributes.set(sk.name, sk);
    return [
      { AttributeName: pk.name, KeyType: 'HASH' as const },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
    ];
  };
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    AttributeDefinitions: [],
  };
  if (spec.stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.stream };
  if (spec.globalIndexes) {
    input.GlobalSecondaryIndexes = spec.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: index.projection ?? 'ALL' },
    }));
  }
  input.AttributeDefinitions = [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
  return input;
}

/**
 * Creates what is missing: tables, and indexes added since a persisted `.retain/` was made (its items are kept;
 * DynamoDB Local backfills the index). Anything else of an existing table is kept as it is.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    (Object.keys(tableSpecs) as TableKey[]).map(async (key) => {
      const input = createTableInput(tableSpecs[key], names[key]);
      try {
        await client.send(new CreateTableCommand(input));
        return;
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[key] }));
      const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of input.GlobalSecondaryIndexes ?? []) {
        if (existing.has(index.IndexName)) continue;
        await client.send(
          new UpdateTableCommand({
            TableName: names[key],
            AttributeDefinitions: input.AttributeDefinitions,
            GlobalSecondaryIndexUpdates: [{ Create: index }],
          }),
        );
      }
    }),
  );
}
