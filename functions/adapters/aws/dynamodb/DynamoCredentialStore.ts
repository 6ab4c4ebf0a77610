// Write keys and admin tokens in the Config table, found by the hash of the secret in one GetItem.

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Credential, CredentialKind } from '../../../core/credentials/credential.js';
import type { CredentialStore } from '../../../core/credentials/ports.js';
import { queryKind } from './paging.js';

const keyOf = (hash: string) => ({ pk: `credential#${hash}`, sk: 'v#0' });

export class DynamoCredentialStore implements CredentialStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async findByHash(hash: string): Promise<Credential | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: keyOf(hash) }));
    return Item ? toCredential(Item) : undefined;
  }

  async create(credential: Credential): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keyOf(credential.hash), ...credential },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(kind: CredentialKind): Promise<Credential[]> {
    const items = await queryKind(this.client, this.table, kind);
    return items.map(toCredential);
  }

  async delete(kind: CredentialKind, id: string): Promise<boolean> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k AND id = :id',
        ExpressionAttributeValues: { ':k': kind, ':id': id },
      }),
    );
    const item = page.Items?.[0];
    if (!item) return false;
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk, sk: item.sk } }));
    return true;
  }
}

function toCredential(item: Record<string, unknown>): Credential {
  const { kind, id, name, hash, prefix, createdAt } = item as Credential;
  return { kind, id, name, hash, prefix, createdAt };
}
