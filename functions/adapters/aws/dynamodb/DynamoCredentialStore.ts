// Write keys and admin tokens in the Config table, found by the hash of the secret in one GetItem.

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
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

  async findById(kind: CredentialKind, id: string): Promise<Credential | undefined> {
    const item = await this.itemById(kind, id);
    return item ? toCredential(item) : undefined;
  }

  async replace(previous: Credential, next: Credential): Promise<void> {
    // One transaction, so there is never a moment with both secrets valid or neither; the condition makes a
    // concurrent rotation of the same token fail instead of leaving two live secrets.
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: this.table,
              Key: keyOf(previous.hash),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { ...keyOf(next.hash), ...next },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async delete(kind: CredentialKind, id: string): Promise<boolean> {
    const item = await this.itemById(kind, id);
    if (!item) return false;
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: item.pk, sk: item.sk } }));
    return true;
  }

  private async itemById(kind: CredentialKind, id: string): Promise<Record<string, unknown> | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k AND id = :id',
        ExpressionAttributeValues: { ':k': kind, ':id': id },
      }),
    );
    return page.Items?.[0];
  }
}

function toCredential(item: Record<string, unknown>): Credential {
  const { kind, id, name, hash, prefix, createdAt, role, expiresAt, approver, rotatedAt } = item as Credential;
  return {
    kind,
    id,
    name,
    hash,
    prefix,
    createdAt,
    ...(role ? { role } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(approver ? { approver } : {}),
    ...(rotatedAt ? { rotatedAt } : {}),
  };
}
