// Deletes every item of one partition: how a customer's events and per-user state are erased.

import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from './batchWrite.js';

export async function deletePartition(
  client: DynamoDBDocumentClient,
  table: string,
  key: { partition: string; sort: string },
  value: string,
): Promise<number> {
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': key.partition, '#sk': key.sort },
        ExpressionAttributeValues: { ':pk': value },
        ProjectionExpression: '#pk, #sk',
        ExclusiveStartKey: start,
      }),
    );
    const items = page.Items ?? [];
    await batchWrite(
      client,
      table,
      items.map((Key) => ({ DeleteRequest: { Key } })),
    );
    deleted += items.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}
