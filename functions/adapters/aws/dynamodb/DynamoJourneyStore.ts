// Journeys in the Config table: an immutable item per version and a head naming the live version.

import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type {
  JourneyDefinition,
  JourneyHead,
  JourneyStatus,
  JourneyVersion,
} from '../../../core/journeys/definition.js';
import type { LiveJourney } from '../../../core/journeys/journeyIndex.js';
import type { JourneyStore } from '../../../core/journeys/ports.js';
import { batchGetAll, queryKind } from './paging.js';

const HEAD = 'head';
const pk = (id: string) => `journey#${id}`;
const versionKey = (v: number) => `v#${String(v).padStart(6, '0')}`;

type HeadItem = JourneyHead & { pk: string; sk: string; kind: 'journey'; activatedVersions: number[] };

export class DynamoJourneyStore implements JourneyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async head(id: string): Promise<JourneyHead | undefined> {
    const item = await this.headItem(id);
    return item && toHead(item);
  }

  async version(id: string, version: number): Promise<JourneyVersion | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: versionKey(version) } }),
    );
    return Item ? toVersion(Item) : undefined;
  }

  async versions(id: string): Promise<JourneyVersion[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': pk(id), ':v': 'v#' },
      }),
    );
    return (Items ?? []).map(toVersion);
  }

  async saveVersion(definition: JourneyDefinition, now: Date): Promise<JourneyHead> {
    for (;;) {
      const head = await this.headItem(definition.id);
      const version = (head?.latestVersion ?? 0) + 1;
      const at = now.toISOString();
      const next: HeadItem = {
        pk: pk(definition.id),
        sk: HEAD,
        kind: 'journey',
        id: definition.id,
        name: definition.name,
        status: head?.status ?? 'draft',
        latestVersion: version,
        activeVersion: head?.activeVersion,
        activatedVersions: head?.activatedVersions ?? [],
        updatedAt: at,
      };
      try {
        // The version number is taken under a condition on the head, so two editors never share one.
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { pk: pk(definition.id), sk: versionKey(version), definition, version, createdAt: at },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: this.table,
                  Item: next,
                  ...(head
                    ? {
                        ConditionExpression: 'latestVersion = :v',
                        ExpressionAttributeValues: { ':v': head.latestVersion },
                      }
                    : { ConditionExpression: 'attribute_not_exists(pk)' }),
                },
              },
            ],
          }),
        );
        return toHead(next);
      } catch (error) {
        if ((error as Error).name !== 'TransactionCanceledException') throw error;
      }
    }
  }

  async setStatus(id: string, status: JourneyStatus, now: Date, activeVersion?: number): Promise<JourneyHead> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: pk(id), sk: HEAD },
        UpdateExpression:
          activeVersion === undefined
            ? 'SET #s = :s, updatedAt = :at'
            : 'SET #s = :s, updatedAt = :at, activeVersion = :v, activatedVersions = list_append(if_not_exists(activatedVersions, :empty), :vs)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':s': status,
          ':at': now.toISOString(),
          ...(activeVersion === undefined ? {} : { ':v': activeVersion, ':vs': [activeVersion], ':empty': [] }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toHead(Attributes as HeadItem);
  }

  async list(): Promise<JourneyHead[]> {
    return (await this.heads()).map(toHead);
  }

  async live(): Promise<LiveJourney[]> {
    const heads = (await this.heads()).filter((h) => h.status === 'active' || h.status === 'paused');
    const wanted = heads.flatMap((h) =>
      [...new Set(h.activatedVersions)].map((v) => ({ pk: pk(h.id), sk: versionKey(v) })),
    );
    const versions = new Map<string, Map<number, JourneyDefinition>>();
    for (const item of await batchGetAll(this.client, this.table, wanted)) {
      const v = toVersion(item);
      const byVersion = versions.get(v.definition.id) ?? new Map();
      byVersion.set(v.version, v.definition);
      versions.set(v.definition.id, byVersion);
    }
    return heads.map((h) => ({ head: toHead(h), versions: versions.get(h.id) ?? new Map() }));
  }

  private async headItem(id: string): Promise<HeadItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: pk(id), sk: HEAD }, ConsistentRead: true }),
    );
    return Item as HeadItem | undefined;
  }

  private async heads(): Promise<HeadItem[]> {
    return (await queryKind(this.client, this.table, 'journey')) as HeadItem[];
  }
}

function toHead(item: HeadItem): JourneyHead {
  const { id, name, status, latestVersion, activeVersion, updatedAt } = item;
  return { id, name, status, latestVersion, ...(activeVersion !== undefined ? { activeVersion } : {}), updatedAt };
}

function toVersion(item: Record<string, unknown>): JourneyVersion {
  return {
    definition: item.definition as JourneyDefinition,
    version: item.version as number,
    createdAt: item.createdAt as string,
  };
}
