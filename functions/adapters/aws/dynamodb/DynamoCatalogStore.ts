// The product catalog in the Config table: one item per product (`product#<id>`), listed through the byKind index.

import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidRequestError } from '../../../core/errors.js';
import type { CatalogProduct, CatalogProductDefinition, ProductObservation } from '../../../core/offers/catalog.js';
import type { CatalogStore } from '../../../core/offers/ports.js';
import { batchWrite } from './batchWrite.js';
import { unlessConditionFails } from './conditionalWrite.js';
import { batchGetAll } from './paging.js';

const KIND = 'product';
const key = (id: string) => ({ pk: `product#${id}`, sk: KIND });
const OBSERVED = ['name', 'price', 'category', 'imageUrl', 'url', 'inStock'] as const;

const productOf = (item: Record<string, unknown>): CatalogProduct => {
  const { pk: _pk, sk: _sk, kind: _kind, ...product } = item;
  return { inStock: true, consumable: false, ...product } as CatalogProduct;
};

export class DynamoCatalogStore implements CatalogStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async observe(observations: ProductObservation[], now: Date): Promise<void> {
    await Promise.all(
      observations.map(async (seen) => {
        const names: Record<string, string> = { '#at': 'observedAt' };
        const values: Record<string, unknown> = { ':at': seen.at, ':kind': KIND, ':now': now.toISOString() };
        const sets = ['#at = :at', 'kind = :kind', 'id = :id', 'updatedAt = :now'];
        values[':id'] = seen.id;
        for (const field of OBSERVED) {
          if (seen[field] === undefined) continue;
          names[`#${field}`] = field;
          values[`:${field}`] = seen[field];
          sets.push(`#${field} = :${field}`);
        }
        // Per attribute, so an event that names only the id and price never blanks the name an import gave;
        // the condition keeps a replayed or late event from undoing a newer one.
        await unlessConditionFails(
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key(seen.id),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        );
      }),
    );
  }

  async put(products: CatalogProductDefinition[], now: Date): Promise<CatalogProduct[]> {
    const at = now.toISOString();
    const stored = products.map((p): CatalogProduct => ({ ...p, updatedAt: at, observedAt: at }));
    await batchWrite(
      this.client,
      this.table,
      stored.map((p) => ({ PutRequest: { Item: { ...key(p.id), kind: KIND, ...p } } })),
    );
    return stored;
  }

  async get(id: string): Promise<CatalogProduct | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: key(id) }));
    return res.Item ? productOf(res.Item) : undefined;
  }

  async getMany(ids: string[]): Promise<CatalogProduct[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const items = await batchGetAll(this.client, this.table, unique.map(key));
    return items.map(productOf);
  }

  async list(limit: number, after?: string): Promise<{ products: CatalogProduct[]; next?: string }> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': KIND },
        Limit: limit,
        ...(after ? { ExclusiveStartKey: startKeyOf(after) } : {}),
      }),
    );
    const products = (res.Items ?? []).map(productOf);
    return {
      products,
      ...(res.LastEvaluatedKey
        ? { next: Buffer.from(JSON.stringify(res.LastEvaluatedKey), 'utf8').toString('base64url') }
        : {}),
    };
  }
}

function startKeyOf(cursor: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as { kind?: unknown }).kind === KIND)
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the refusal
  }
  throw new InvalidRequestError('query.after: not a cursor this list gave', 'query.after');
}
