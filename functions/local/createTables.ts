// Creates the tables of functions/tables.ts in DynamoDB Local, the same definitions the CDK stack deploys.

import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
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
      Projection: { ProjectionType: 'ALL' },
    }));
  }
  input.AttributeDefinitions = [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
  return input;
}

/** Creates what is missing; existing tables (a persisted `.retain/`) are kept as they are. */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    (Object.keys(tableSpecs) as TableKey[]).map(async (key) => {
      try {
        await client.send(new CreateTableCommand(createTableInput(tableSpecs[key], names[key])));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await client.send(new DescribeTableCommand({ TableName: names[key] }));
    }),
  );
}
