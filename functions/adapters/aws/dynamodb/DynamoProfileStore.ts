// The Profiles table: live profiles and the tombstones of merged ones, written under optimistic locking.

import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { UserKey } from '../../../core/events/userKey.js';
import type { Profile, StoredProfile } from '../../../core/profiles/profile.js';
import type {
  AudienceCursor,
  AudiencePage,
  AudiencePart,
  ProfileStore,
  ProfileWrite,
} from '../../../core/profiles/ports.js';
import { batchGetAll } from './paging.js';
import { backoffMs, MAX_BATCH_ATTEMPTS, sleep } from './retry.js';

type ProfileDocItem = {
  userKey: string;
  kind: 'profile';
  version: number;
  doc: string;
  email?: string;
  phone?: string;
};
type ProfileItem = ProfileDocItem | { userKey: string; kind: 'tombstone'; version: number; mergedInto: string };

/** A scan's LastEvaluatedKey carried through queues and callers as an opaque, URL-safe string. */
const cursorOf = (key: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(key)).toString('base64url') as AudienceCursor;

function startKeyOf(cursor: AudienceCursor): Record<string, unknown> {
  const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error('Not a profile scan cursor');
  return key as Record<string, unknown>;
}

function fromItem(item: Record<string, unknown>): StoredProfile {
  const i = item as ProfileItem;
  return i.kind === 'tombstone'
    ? {
        kind: 'tombstone',
        version: i.version,
        tombstone: { userKey: i.userKey as UserKey, mergedInto: i.mergedInto as UserKey },
      }
    : { kind: 'profile', version: i.version, profile: JSON.parse(i.doc) as Profile };
}

/** Written only if the item is still at the version it was read at (absent, for version 0). */
function versionCondition(expectedVersion: number) {
  return expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(userKey)' }
    : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
}

function itemOf(profile: Profile, expectedVersion: number): ProfileDocItem {
  return {
    userKey: profile.userKey,
    kind: 'profile',
    version: expectedVersion + 1,
    doc: JSON.stringify(profile),
    // The keys of the byEmail and byPhone indexes: absent attributes keep the profile out of them.
    ...(profile.channels.email ? { email: profile.channels.email } : {}),
    ...(profile.channels.phone ? { phone: profile.channels.phone } : {}),
  };
}

/** A transaction holds at most 100 items and 4 MB; a profile may be up to 400 KB, so both bounds are kept. */
const MAX_TRANSACTION_ITEMS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;

function transactions(indexes: number[], bytesOf: (i: number) => number): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let bytes = 0;
  for (const i of indexes) {
    const size = bytesOf(i);
    if (group.length === MAX_TRANSACTION_ITEMS || (group.length > 0 && bytes + size > MAX_TRANSACTION_BYTES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(i);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * How `writeMany` sends: `items`, one conditional put each (in AWS the cheapest, since a transactional write is
 * billed twice); `transactions`, up to a hundred in one request (DynamoDB Local, free, answers requests far slower
 * than it writes items, so an import there goes 1.5× faster).
 */
export type ManyWrites = 'items' | 'transactions';

export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly manyWrites: ManyWrites = 'items',
  ) {}

  async get(userKey: UserKey): Promise<StoredProfile | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { userKey } }));
    return Item ? fromItem(Item) : undefined;
  }

  async getMany(userKeys: UserKey[]): Promise<Map<UserKey, StoredProfile>> {
    const items = await batchGetAll(
      this.client,
      this.table,
      [...new Set(userKeys)].map((userKey) => ({ userKey })),
    );
    return new Map(items.map((item) => [item.userKey as UserKey, fromItem(item)]));
  }

  async findByAddress(address: { email: string } | { phone: string }, limit = 20): Promise<UserKey[]> {
    const [attribute, value] = 'email' in address ? ['email', address.email] : ['phone', address.phone];
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: attribute === 'email' ? 'byEmail' : 'byPhone',
        KeyConditionExpression: '#a = :v',
        ExpressionAttributeNames: { '#a': attribute },
        ExpressionAttributeValues: { ':v': value },
        Limit: limit,
      }),
    );
    return Items.map((item) => item.userKey as UserKey);
  }

  async write({ profile, expectedVersion, tombstones }: ProfileWrite): Promise<'written' | 'conflict'> {
    const profileItem = itemOf(profile, expectedVersion);
    try {
      if (tombstones.length === 0) {
        await this.client.send(
          new PutCommand({ TableName: this.table, Item: profileItem, ...versionCondition(expectedVersion) }),
        );
        return 'written';
      }
      // A merge is all or nothing: a profile absorbed without its tombstone would be counted twice.
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: profileItem, ...versionCondition(expectedVersion) } },
            ...tombstones.map(({ tombstone, expectedVersion: v }) => ({
              Put: {
                TableName: this.table,
                Item: {
                  userKey: tombstone.userKey,
                  kind: 'tombstone',
                  version: v + 1,
                  mergedInto: tombstone.mergedInto,
                },
                ...versionCondition(v),
              },
            })),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ConditionalCheckFailedException') return 'conflict';
      if (
        name === 'TransactionCanceledException' &&
        String((error as Error).message).includes('ConditionalCheckFailed')
      ) {
        return 'conflict';
      }
      throw error;
    }
  }

  /**
   * With `transactions`, writes without merges go up to a hundred in one request. A transaction is all or nothing,
   * so one profile that moved on cancels the others; its cancellation reasons say which, and the others go again.
   */
  async writeMany(updates: ProfileWrite[]): Promise<('written' | 'conflict')[]> {
    const keys = new Set(updates.map((u) => u.profile.userKey));
    if (keys.size !== updates.length) throw new TypeError('writeMany needs distinct profiles');
    if (this.manyWrites === 'items') return Promise.all(updates.map((update) => this.write(update)));
    const results: ('written' | 'conflict')[] = new Array(updates.length);
    const merges = updates.flatMap((u, i) => (u.tombstones.length > 0 ? [i] : []));
    await Promise.all(merges.map(async (i) => (results[i] = await this.write(updates[i]))));
    let pending = updates.flatMap((u, i) => (u.tombstones.length === 0 ? [i] : []));
    const items = new Map(pending.map((i) => [i, itemOf(updates[i].profile, updates[i].expectedVersion)]));
    // The document counts in UTF-8 (Korean names are three bytes a letter); the rest of the item is small.
    const bytesOf = (i: number) => Buffer.byteLength((items.get(i) as ProfileDocItem).doc) + 1_000;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS) throw new Error(`${pending.length} profile writes kept being cancelled`);
      if (attempt > 1) await sleep(backoffMs(attempt - 1));
      const again: number[] = [];
      await Promise.all(
        transactions(pending, bytesOf).map(async (group) => {
          try {
            await this.client.send(
              new TransactWriteCommand({
                TransactItems: group.map((i) => ({
                  Put: { TableName: this.table, Item: items.get(i), ...versionCondition(updates[i].expectedVersion) },
                })),
              }),
            );
            for (const i of group) results[i] = 'written';
          } catch (error) {
            const reasons = (error as TransactionCanceledException).CancellationReasons;
            if ((error as Error).name !== 'TransactionCanceledException' || reasons?.length !== group.length) {
              throw error;
            }
            group.forEach((i, n) => {
              const code = reasons[n].Code;
              if (code === 'ConditionalCheckFailed') results[i] = 'conflict';
              // 'None': cancelled for another's sake; the others are contention, worth another try.
              else if (code === 'None' || code === 'TransactionConflict' || code === 'ThrottlingError') again.push(i);
              else throw error;
            });
          }
        }),
      );
      pending = again;
    }
    return results;
  }

  async scan(visit: (profile: Profile) => void): Promise<number> {
    const SEGMENTS = 4;
    const counts = await Promise.all(
      Array.from({ length: SEGMENTS }, async (_, segment) => {
        let scanned = 0;
        let cursor: AudienceCursor | undefined;
        do {
          const page = await this.audiencePage({ index: segment, of: SEGMENTS }, cursor);
          for (const profile of page.profiles) visit(profile);
          scanned += page.profiles.length;
          cursor = page.next;
        } while (cursor);
        return scanned;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** A part is one segment of a parallel scan; the cursor wraps the segment's LastEvaluatedKey. */
  async audiencePage(part: AudiencePart, cursor?: AudienceCursor, limit?: number): Promise<AudiencePage> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.table,
        Segment: part.index,
        TotalSegments: part.of,
        Limit: limit,
        FilterExpression: 'kind = :profile',
        ExpressionAttributeValues: { ':profile': 'profile' },
        ExclusiveStartKey: cursor === undefined ? undefined : startKeyOf(cursor),
      }),
    );
    const profiles = (page.Items ?? []).map((item) => JSON.parse(item.doc as string) as Profile);
    return { profiles, ...(page.LastEvaluatedKey ? { next: cursorOf(page.LastEvaluatedKey) } : {}) };
  }

  async delete(userKeys: UserKey[]): Promise<void> {
    await Promise.all(
      userKeys.map((userKey) => this.client.send(new DeleteCommand({ TableName: this.table, Key: { userKey } }))),
    );
  }
}
