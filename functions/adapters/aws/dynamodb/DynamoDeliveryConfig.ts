// Templates, delivery settings and the suppression list in the Config table.

import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { settingsSchema, type DeliverySettings } from '../../../core/delivery/settings.js';
import type { Template } from '../../../core/delivery/template.js';
import type { SettingsStore, SuppressionList, TemplateStore } from '../../../core/delivery/ports.js';
import { batchGetAll, queryKind } from './paging.js';
import { suppressionKey } from '../../../core/profiles/address.js';

export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key = (id: string) => ({ pk: `template#${id}`, sk: 'head' });

  async get(id: string): Promise<Template | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: this.key(id) }));
    return Item?.template as Template | undefined;
  }

  async put(template: Template): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.key(template.id), kind: 'template', id: template.id, template },
      }),
    );
  }

  async list(): Promise<Template[]> {
    const items = await queryKind(this.client, this.table, 'template');
    return items.map((i) => i.template as Template);
  }

  async delete(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: this.key(id), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}

export class DynamoSettingsStore implements SettingsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(): Promise<DeliverySettings> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: 'settings#delivery', sk: 'head' } }),
    );
    // Stored settings are parsed again so fields added in a later release get their defaults.
    return settingsSchema.parse(Item?.settings ?? {});
  }

  async put(settings: DeliverySettings): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { pk: 'settings#delivery', sk: 'head', settings } }),
    );
  }
}

/** Addresses are kept as a hash: the list must outlive an erased customer without keeping their address. */
export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** By suppressionKey (010-1234-5678 and +821012345678 are 01012345678); anything else by its digits as before. */
  private key = (address: string) => ({
    pk: `suppression#${createHash('sha256')
      .update(
        suppressionKey(address) ??
          (address.includes('@') ? address.trim().toLowerCase() : address.replace(/[^0-9+]/g, '')),
      )
      .digest('hex')}`,
    sk: 'head',
  });

  async isSuppressed(address: string): Promise<boolean> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: this.key(address) }));
    return Item !== undefined;
  }

  async suppressedAmong(addresses: string[]): Promise<Set<string>> {
    const byPk = new Map(addresses.map((a) => [this.key(a).pk, a]));
    const found = await batchGetAll(
      this.client,
      this.table,
      [...byPk.keys()].map((pk) => ({ pk, sk: 'head' })),
    );
    return new Set(found.map((item) => byPk.get(item.pk as string)!));
  }

  async suppress(address: string, reason: string, at: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...this.key(address), reason, at } }));
  }
}
