// Approval requests in the Config table: each under `approval#<id>`, and a copy under a listing partition
// (`approvals#pending`, `approvals#decided`) so the console's list is one query, never a scan.

import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Approval } from '../../../core/approvals/approval.js';
import type { ApprovalStore } from '../../../core/approvals/ports.js';
import { backoffMs, sleep } from './retry.js';

const pk = (id: string) => `approval#${id}`;
const SK = 'v#0';
// One partition per listing is fine here: a team asks for approvals by the dozen a day, not by the thousand.
const PENDING = 'approvals#pending';
const DECIDED = 'approvals#decided';
const DECIDED_SHOWN = 100;
// A decision is one person's click: a few tries inside a second, then the error is theirs to retry.
const DECISION_ATTEMPTS = 4;

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
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(this.decision(approval));
        return true;
      } catch (error) {
        const codes = ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map(
          (r) => r.Code,
        );
        // Someone else's decision was written first: the condition says so, and that is an answer, not an error.
        if (codes.includes('ConditionalCheckFailed')) return false;
        // Two decisions in flight on the same item: DynamoDB may cancel both (TransactionConflict) rather than let
        // either see the other. Whichever got through means this one lost; if neither did, try again, briefly.
        if (!codes.includes('TransactionConflict')) throw error;
        if ((await this.get(approval.id))?.status !== 'pending') return false;
        if (attempt >= DECISION_ATTEMPTS) throw error;
        await sleep(backoffMs(attempt));
      }
    }
  }

  private decision(approval: Approval) {
    return new TransactWriteCommand({
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
    });
  }
}
