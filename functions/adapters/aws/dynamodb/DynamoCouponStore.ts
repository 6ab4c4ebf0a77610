// Coupon pools in the Config table: the pool's head with its counters, one slot per code, who holds which.

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '../../../core/errors.js';
import type { UserKey } from '../../../core/events/userKey.js';
import {
  type CouponClaim,
  type CouponCode,
  type CouponPool,
  type CouponPoolDefinition,
  lowOnCodes,
} from '../../../core/offers/coupon.js';
import type { CouponStore } from '../../../core/offers/ports.js';
import { batchWrite } from './batchWrite.js';
import { unlessConditionFails } from './conditionalWrite.js';
import { batchGetAll, queryKind } from './paging.js';

const pk = (poolId: string) => `coupon#${poolId}`;
/** Slots are numbered: claiming is one conditional ADD on the head (`issued < total`) that names the slot. */
const slot = (seq: number) => `n#${String(seq).padStart(9, '0')}`;
/** One item per code across all pools, so a code is never loaded twice and an order finds its pool. */
const codeKey = (code: string) => ({ pk: `couponcode#${code.toUpperCase()}`, sk: 'code' });

type Head = {
  doc: CouponPoolDefinition;
  createdAt: string;
  total?: number;
  reserved?: number;
  issued?: number;
  redeemed?: number;
  revenue?: number;
  redeemSeconds?: number;
};

const poolOf = (item: Record<string, unknown>): CouponPool => {
  const head = item as Head;
  return {
    ...head.doc,
    createdAt: head.createdAt,
    total: head.total ?? 0,
    issued: head.issued ?? 0,
    redeemed: head.redeemed ?? 0,
    revenue: head.revenue ?? 0,
    redeemSeconds: head.redeemSeconds ?? 0,
  };
};

export class DynamoCouponStore implements CouponStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putPool(definition: CouponPoolDefinition, now: Date): Promise<CouponPool> {
    const res = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(definition.id), sk: 'pool' },
        // The definition is replaced; the counters are only ever ADDed to, so an edit cannot reset them.
        UpdateExpression: 'SET doc = :doc, kind = :kind, id = :id, createdAt = if_not_exists(createdAt, :now)',
        ExpressionAttributeValues: {
          ':doc': definition,
          ':kind': 'coupon',
          ':id': definition.id,
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return poolOf(res.Attributes!);
  }

  async getPool(id: string): Promise<CouponPool | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: 'pool' } }));
    return res.Item ? poolOf(res.Item) : undefined;
  }

  async listPools(): Promise<CouponPool[]> {
    const items = await queryKind(this.client, this.table, 'coupon');
    return items.map(poolOf).sort((a, b) => a.id.localeCompare(b.id));
  }

  async addCodes(poolId: string, codes: string[]): Promise<{ added: number; duplicates: string[] }> {
    const unique = [...new Set(codes.map((c) => c.toUpperCase()))];
    const inBatch = codes.length - unique.length;
    const existing = await batchGetAll(this.client, this.table, unique.map(codeKey));
    const taken = new Set(existing.map((i) => String(i.pk).slice('couponcode#'.length)));
    const fresh = unique.filter((c) => !taken.has(c));
    const duplicates = [...taken, ...(inBatch > 0 ? [`${inBatch} repeated in the upload`] : [])];
    if (fresh.length === 0) return { added: 0, duplicates };
    // Slots are reserved first and counted in `total` only once written, so a claim never finds an empty slot.
    const reserved = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(poolId), sk: 'pool' },
        UpdateExpression: 'ADD reserved :n',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':n': fresh.length },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(reserved.Attributes?.reserved);
    const first = last - fresh.length + 1;
    await batchWrite(
      this.client,
      this.table,
      fresh.flatMap((code, i) => [
        { PutRequest: { Item: { pk: pk(poolId), sk: slot(first + i), code } } },
        { PutRequest: { Item: { ...codeKey(code), poolId, seq: first + i } } },
      ]),
    );
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(poolId), sk: 'pool' },
        UpdateExpression: 'ADD #total :n',
        ExpressionAttributeNames: { '#total': 'total' },
        ExpressionAttributeValues: { ':n': fresh.length },
      }),
    );
    return { added: fresh.length, duplicates };
  }

  async claim(poolId: string, userKey: UserKey, messageKey: string, now: Date): Promise<CouponClaim> {
    const forMessage = await this.get(pk(poolId), `m#${messageKey}`);
    // A retried or redelivered message: the code it already printed.
    if (forMessage) return { kind: 'issued', code: String(forMessage.code), reused: true };
    const head = await this.get(pk(poolId), 'pool');
    if (!head) return { kind: 'unknown-pool' };
    const pool = poolOf(head);
    if (pool.validUntil && Date.parse(pool.validUntil) <= now.getTime()) return { kind: 'expired' };
    const holder = await this.get(pk(poolId), `h#${userKey}`);
    if (holder && !holder.redeemedAt) {
      await this.rememberForMessage(poolId, messageKey, String(holder.code));
      return { kind: 'issued', code: String(holder.code), reused: true };
    }
    const received = Number(holder?.received ?? 0);
    if (received >= pool.perCustomerLimit) return { kind: 'limit-reached' };

    const taken = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(poolId), sk: 'pool' },
          UpdateExpression: 'ADD issued :one',
          ConditionExpression: 'attribute_exists(#total) AND (attribute_not_exists(issued) OR issued < #total)',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    if (!taken) return { kind: 'exhausted' };
    const seq = Number(taken.Attributes?.issued);
    const codeItem = await this.get(pk(poolId), slot(seq));
    if (!codeItem) throw new StoreUnavailableError(`coupon pool ${poolId} has no code in slot ${seq} yet`);
    const code = String(codeItem.code);
    const issuedAt = now.toISOString();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // The holder row changes only from the state this claim read: two sends racing for one customer
              // cannot both hand out a new code under the limit.
              Put: {
                TableName: this.table,
                // Every slot the customer received, so erasure can find them without reading the pool.
                Item: {
                  pk: pk(poolId),
                  sk: `h#${userKey}`,
                  code,
                  seq,
                  seqs: [...slotsHeld(holder), seq],
                  issuedAt,
                  received: received + 1,
                },
                ConditionExpression: holder ? 'received = :received' : 'attribute_not_exists(pk)',
                ...(holder ? { ExpressionAttributeValues: { ':received': received } } : {}),
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: pk(poolId), sk: `m#${messageKey}`, code },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: pk(poolId), sk: slot(seq) },
                UpdateExpression: 'SET userKey = :u, messageKey = :m, issuedAt = :at',
                ExpressionAttributeValues: { ':u': userKey, ':m': messageKey, ':at': issuedAt },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      // Lost a race (the same message twice at once, or another message for this customer): the winner's code
      // is the one to print; the slot this claim took stays unused.
      const won = (await this.get(pk(poolId), `m#${messageKey}`)) ?? (await this.get(pk(poolId), `h#${userKey}`));
      if (!won) throw error;
      return { kind: 'issued', code: String(won.code), reused: true };
    }
    const low = lowOnCodes(pool, seq);
    return { kind: 'issued', code, reused: false, ...(low !== undefined ? { lowOnCodes: low } : {}) };
  }

  async redeem(
    code: string,
    order: { userKey: UserKey; orderId?: string; revenue: number; at: string },
  ): Promise<{ kind: 'redeemed'; poolId: string; code: CouponCode } | { kind: 'unknown' } | { kind: 'already' }> {
    const found = await this.client.send(new GetCommand({ TableName: this.table, Key: codeKey(code) }));
    if (!found.Item) return { kind: 'unknown' };
    const poolId = String(found.Item.poolId);
    const seq = Number(found.Item.seq);
    const updated = await unlessConditionFails(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(poolId), sk: slot(seq) },
          UpdateExpression: `SET redeemedAt = :at, revenue = :r, redeemedBy = :u${order.orderId ? ', orderId = :o' : ''}`,
          ConditionExpression: 'attribute_not_exists(redeemedAt)',
          ExpressionAttributeValues: {
            ':at': order.at,
            ':r': order.revenue,
            ':u': order.userKey,
            ...(order.orderId ? { ':o': order.orderId } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (!updated) return { kind: 'already' };
    const item = updated.Attributes!;
    const issuedAt = typeof item.issuedAt === 'string' ? item.issuedAt : undefined;
    const seconds = issuedAt ? Math.max(0, Math.round((Date.parse(order.at) - Date.parse(issuedAt)) / 1000)) : 0;
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(poolId), sk: 'pool' },
        UpdateExpression: 'ADD redeemed :one, revenue :r, redeemSeconds :s',
        ExpressionAttributeValues: { ':one': 1, ':r': order.revenue, ':s': seconds },
      }),
    );
    if (typeof item.userKey === 'string') {
      // The holder may receive a new code now (up to the pool's per-customer limit).
      await unlessConditionFails(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: pk(poolId), sk: `h#${item.userKey}` },
            UpdateExpression: 'SET redeemedAt = :at',
            ConditionExpression: '#code = :code',
            ExpressionAttributeNames: { '#code': 'code' },
            ExpressionAttributeValues: { ':at': order.at, ':code': item.code },
          }),
        ),
      );
    }
    return { kind: 'redeemed', poolId, code: codeOf(item) };
  }

  async issuedCodes(poolId: string, limit: number): Promise<CouponCode[]> {
    const head = await this.get(pk(poolId), 'pool');
    const issued = Number(head?.issued ?? 0);
    if (issued === 0) return [];
    // Claims take slots in order, so the handed-out codes are the slots up to `issued`: read back from there,
    // not from the pool's end, where the unused codes are.
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        // A slot taken by a claim that lost a race stays unused.
        FilterExpression: 'attribute_exists(issuedAt)',
        ExpressionAttributeValues: { ':pk': pk(poolId), ':first': slot(1), ':last': slot(issued) },
        ScanIndexForward: false,
        Limit: Math.min(1000, limit * 2),
      }),
    );
    return (res.Items ?? []).slice(0, limit).map(codeOf);
  }

  async forget(userKeys: UserKey[]): Promise<number> {
    const pools = await this.listPools();
    let changed = 0;
    for (const pool of pools) {
      for (const userKey of userKeys) {
        const holder = await this.get(pk(pool.id), `h#${userKey}`);
        if (!holder) continue;
        for (const seq of slotsHeld(holder)) {
          const code = await this.get(pk(pool.id), slot(seq));
          if (!code || code.userKey !== userKey) continue;
          if (typeof code.messageKey === 'string') {
            await this.client.send(
              new DeleteCommand({ TableName: this.table, Key: { pk: pk(pool.id), sk: `m#${code.messageKey}` } }),
            );
            changed++;
          }
          // The code stays issued (and redeemed, with its revenue) so the pool's numbers still add up.
          await this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: pk(pool.id), sk: slot(seq) },
              UpdateExpression: 'REMOVE userKey, messageKey, redeemedBy, orderId',
            }),
          );
          changed++;
        }
        await this.client.send(
          new DeleteCommand({ TableName: this.table, Key: { pk: pk(pool.id), sk: `h#${userKey}` } }),
        );
        changed++;
      }
    }
    return changed;
  }

  private async get(partition: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: partition, sk }, ConsistentRead: true }),
    );
    return res.Item;
  }

  private async rememberForMessage(poolId: string, messageKey: string, code: string): Promise<void> {
    await unlessConditionFails(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: pk(poolId), sk: `m#${messageKey}`, code },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }
}

/** The slots a holder row says the customer received (rows written before `seqs` name only the last). */
function slotsHeld(holder: Record<string, unknown> | undefined): number[] {
  if (!holder) return [];
  if (Array.isArray(holder.seqs)) return holder.seqs.map(Number);
  return typeof holder.seq === 'number' ? [holder.seq] : [];
}

function codeOf(item: Record<string, unknown>): CouponCode {
  const text = (k: string) => (typeof item[k] === 'string' ? (item[k] as string) : undefined);
  return {
    code: String(item.code),
    ...(text('userKey') ? { userKey: text('userKey') } : {}),
    ...(text('messageKey') ? { messageKey: text('messageKey') } : {}),
    ...(text('issuedAt') ? { issuedAt: text('issuedAt') } : {}),
    ...(text('redeemedAt') ? { redeemedAt: text('redeemedAt') } : {}),
    ...(text('orderId') ? { orderId: text('orderId') } : {}),
    ...(typeof item.revenue === 'number' ? { revenue: item.revenue } : {}),
  };
}
