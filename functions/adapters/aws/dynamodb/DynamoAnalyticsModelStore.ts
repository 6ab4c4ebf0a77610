// The latest analytics model (fitted CLV parameters, RFM thresholds) in the Config table.

import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnalyticsModel } from '../../../core/analytics/refreshCustomers.js';
import type { AnalyticsModelStore } from '../../../core/analytics/ports.js';

const KEY = { pk: 'analytics#model', sk: 'latest' };

export class DynamoAnalyticsModelStore implements AnalyticsModelStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(model: AnalyticsModel): Promise<void> {
    // As JSON text: a fitted parameter may be beyond what a DynamoDB number holds exactly.
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...KEY, model: JSON.stringify(model) } }));
  }

  async latest(): Promise<AnalyticsModel | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: KEY }));
    return Item ? (JSON.parse(Item.model as string) as AnalyticsModel) : undefined;
  }
}
