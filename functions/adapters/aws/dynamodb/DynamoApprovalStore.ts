// Approval requests in the Config table: each under `approval#<id>`, and a copy under a listing partition
// (`approvals#pending`, `approvals#decided`) so the console's list is one query, never a scan.

import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Approval } from '../../../core/approvals/approval.js';
import type { ApprovalStore } from '../../../core/approvals/ports.js';

const pk = (id: string) => `approval#${id}`;
const SK = 'v#0';
// One partition per listing is fine here: a team asks for approvals by the dozen a day, not by the thousand.
const PENDING = 'approvals#pending';
const DECIDED = 'approvals#decided';
const DECIDED_SHOWN = 100;

export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(approval: Approval): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk: pk(approval.id), sk: SK, approval },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { pk: PENDING, sk: `${approval.requestedAt}#${approval.id}`, approval },
            },
          },
        ],
      }),
    );
  }

  async get(id: string): Promise<Approval | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: SK }, ConsistentRead: true }),
    );
    return Item?.approval as Approval | undefined;
  }

  async list(which: 'pending' | 'decided'): Promise<Approval[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': which === 'pending' ? PENDING : DECIDED },
        // Pending oldest first (the longest waiting on top); decided newest first, the last hundred.
        ScanIndexForward: which === 'pending',
        ...(which === 'decided' ? { Limit: DECIDED_SHOWN } : {}),
      }),
    );
    return Items.map((item) => item.approval as Approval);
  }

  async decide(approval: Approval): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // Two deciders at once: the condition lets exactly one of them write, the other learns it lost.
              Put: {
                TableName: this.table,
                Item: { pk: pk(approval.id), sk: SK, approval },
                ConditionExpression: '#a.#s = :pending',
                ExpressionAttributeNames: { '#a': 'approval', '#s': 'status' },
                ExpressionAttributeValues: { ':pending': 'pending' },
              },
            },
            { Delete: { TableName: this.table, Key: { pk: PENDING, sk: `${approval.requestedAt}#${approval.id}` } } },
            {
              Put: {
                TableName: this.table,
                Item: { pk: DECIDED, sk: `${approval.decidedAt ?? approval.requestedAt}#${approval.id}`, approval },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      // Only the lost race is an answer; a transaction conflict or throttle is an error to retry.
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      throw error;
    }
  }
}
