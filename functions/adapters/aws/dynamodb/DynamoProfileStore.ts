// The Profiles table: live profiles and the tombstones of merged ones, written under optimistic locking.

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

type ProfileItem =
  | { userKey: string; kind: 'profile'; version: number; doc: string; email?: string; phone?: string }
  | { userKey: string; kind: 'tombstone'; version: number; mergedInto: string };

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

export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
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
    const profileItem: ProfileItem = {
      userKey: profile.userKey,
      kind: 'profile',
      version: expectedVersion + 1,
      doc: JSON.stringify(profile),
      // The keys of the byEmail and byPhone indexes: absent attributes keep the profile out of them.
      ...(profile.channels.email ? { email: profile.channels.email } : {}),
      ...(profile.channels.phone ? { phone: profile.channels.phone } : {}),
    };
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
