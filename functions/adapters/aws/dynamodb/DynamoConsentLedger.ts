// The consent ledger in the State table: `consent#<id>` in the customer's partition, and what erasure keeps
// under `consent-kept#<hash of the key>`.

import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsentLedgerEntry, KeptWithdrawal } from '../../../core/profiles/consentLedger.js';
import type { ConsentLedger } from '../../../core/profiles/ports.js';
import type { UserKey } from '../../../core/events/userKey.js';
import { statePartitionOf } from './DynamoUserStateStore.js';
import { batchWrite } from './batchWrite.js';
import { unlessConditionFails } from './conditionalWrite.js';
import { queryAll } from './paging.js';

const PREFIX = 'consent#';
const keptPartitionOf = (customerHash: string) => `consent-kept#${customerHash}`;

export class DynamoConsentLedger implements ConsentLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(entries: ConsentLedgerEntry[]): Promise<ConsentLedgerEntry[]> {
    // One conditional put per entry (not a batch): the condition is what makes it append-only, and what
    // tells a replayed change from a new one. Entries come one or two per consent change, never in bulk.
    const written = await Promise.all(
      entries.map((entry) =>
        unlessConditionFails(
          this.client.send(
            new PutCommand({
              TableName: this.table,
              Item: { pk: statePartitionOf(entry.userKey), sk: `${PREFIX}${entry.id}`, ...entry },
              ConditionExpression: 'attribute_not_exists(sk)',
            }),
          ),
        ).then((result) => (result ? entry : undefined)),
      ),
    );
    return written.filter((e): e is ConsentLedgerEntry => e !== undefined);
  }

  async has(userKey: UserKey, id: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: statePartitionOf(userKey), sk: `${PREFIX}${id}` },
        ProjectionExpression: 'sk',
      }),
    );
    return Item !== undefined;
  }

  async list(userKey: UserKey): Promise<ConsentLedgerEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': statePartitionOf(userKey), ':prefix': PREFIX },
    });
    // Ids start with the time of the change, so key order is time order.
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as ConsentLedgerEntry);
  }

  async keep(withdrawals: KeptWithdrawal[]): Promise<void> {
    await batchWrite(
      this.client,
      this.table,
      withdrawals.map((w) => ({ PutRequest: { Item: { pk: keptPartitionOf(w.customerHash), sk: w.id, ...w } } })),
    );
  }

  async kept(customerHash: string): Promise<KeptWithdrawal[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keptPartitionOf(customerHash) },
    });
    return items.map(({ pk: _pk, sk: _sk, ...kept }) => kept as KeptWithdrawal);
  }
}
