// Broadcasts in the Config table: the head (status and progress as attributes conditions and ADDs can
// reach), the last checklist beside it, and one marker per finished fan-out page.

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Broadcast, BroadcastStatus, Checklist } from '../../../core/broadcasts/broadcast.js';
import type { BroadcastStore } from '../../../core/broadcasts/ports.js';
import { queryKind } from './paging.js';
import { unlessConditionFails } from './conditionalWrite.js';

const pk = (id: string) => `broadcast#${id}`;
/** Page markers only stop a retried page from counting twice: they can go after a month. */
const MARKER_TTL_SECONDS = 30 * 86_400;

type HeadItem = {
  status: BroadcastStatus;
  doc: Omit<Broadcast, 'status' | 'progress'>;
  progress: Broadcast['progress'];
};

const fromItem = (item: Record<string, unknown>): Broadcast => {
  const { status, doc, progress } = item as HeadItem;
  return { ...doc, status, progress };
};

const toItem = (broadcast: Broadcast) => {
  const { status, progress, ...doc } = broadcast;
  return {
    pk: pk(broadcast.definition.id),
    sk: 'head',
    kind: 'broadcast',
    id: broadcast.definition.id,
    status,
    progress,
    doc,
  };
};

export class DynamoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Broadcast | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'head' } }));
    return Item ? fromItem(Item) : undefined;
  }

  async create(broadcast: Broadcast): Promise<'created' | 'exists'> {
    const written = await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(broadcast),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written ? 'created' : 'exists';
  }

  async save(broadcast: Broadcast, whenStatus: BroadcastStatus[]): Promise<boolean> {
    const names = whenStatus.map((_, i) => `:s${i}`);
    const written = await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(broadcast),
          ConditionExpression: `#status IN (${names.join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: Object.fromEntries(whenStatus.map((s, i) => [names[i], s])),
        }),
      ),
    );
    return written !== undefined;
  }

  async list(): Promise<Broadcast[]> {
    return (await queryKind(this.client, this.table, 'broadcast')).map(fromItem);
  }

  async delete(id: string): Promise<'deleted' | 'not-found' | 'not-draft'> {
    const deleted = await unlessConditionFails(
      this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: pk(id), sk: 'head' },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :draft',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':draft': 'draft' },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    if (!deleted) return 'not-draft';
    if (!deleted.Attributes) return 'not-found';
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'check' } }));
    return 'deleted';
  }

  async status(id: string): Promise<BroadcastStatus | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: pk(id), sk: 'head' },
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return Item?.status as BroadcastStatus | undefined;
  }

  async cancel(id: string, at: string): Promise<boolean> {
    const updated = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(id), sk: 'head' },
          UpdateExpression: 'SET #status = :cancelled, doc.cancelledAt = :at',
          ConditionExpression: '#status IN (:draft, :sending, :enqueued)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'cancelled',
            ':at': at,
            ':draft': 'draft',
            ':sending': 'sending',
            ':enqueued': 'enqueued',
          },
        }),
      ),
    );
    return updated !== undefined;
  }

  async saveCheck(id: string, checklist: Checklist): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: pk(id), sk: 'check', checklist } }));
  }

  async lastCheck(id: string): Promise<Checklist | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'check' } }),
    );
    return Item?.checklist as Checklist | undefined;
  }

  async pageDone(id: string, pageKey: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: `page#${pageKey}` } }),
    );
    return Item !== undefined;
  }

  async commitPage(
    id: string,
    pageKey: string,
    counts: { enqueued: number; heldOut: number },
    endsChain: boolean,
  ): Promise<'committed' | 'already'> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  pk: pk(id),
                  sk: `page#${pageKey}`,
                  expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: pk(id), sk: 'head' },
                UpdateExpression:
                  'ADD progress.pages :one, progress.enqueued :enqueued, progress.heldOut :heldOut, progress.chainsDone :ended',
                ExpressionAttributeValues: {
                  ':one': 1,
                  ':enqueued': counts.enqueued,
                  ':heldOut': counts.heldOut,
                  ':ended': endsChain ? 1 : 0,
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if ((error as Error).name === 'TransactionCanceledException' && reasons[0]?.Code === 'ConditionalCheckFailed')
        return 'already';
      throw error;
    }
    if (endsChain) {
      // Other chains still running (or a cancel) leave the status as it is.
      await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: pk(id), sk: 'head' },
            UpdateExpression: 'SET #status = :enqueued',
            ConditionExpression: '#status = :sending AND progress.chainsDone >= progress.chains',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':enqueued': 'enqueued', ':sending': 'sending' },
          }),
        ),
      );
    }
    return 'committed';
  }
}
