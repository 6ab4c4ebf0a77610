// The DynamoDB tables, built from functions/tables.ts: encrypted, point-in-time recoverable, on demand.

import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableEnvVar, tableSpecs, type KeyAttribute, type TableKey, type TableSpec } from '../functions/tables.js';

const attribute = (a: KeyAttribute) => ({
  name: a.name,
  type: a.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export class Tables extends Construct {
  readonly byKey: Record<TableKey, Table>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const byKey = {} as Record<TableKey, Table>;
    for (const key of Object.keys(tableSpecs) as TableKey[]) {
      const spec: TableSpec = tableSpecs[key];
      const table = new Table(this, spec.id, {
        partitionKey: attribute(spec.partitionKey),
        sortKey: spec.sortKey && attribute(spec.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: spec.timeToLiveAttribute,
        stream: spec.stream === 'NEW_IMAGE' ? StreamViewType.NEW_IMAGE : undefined,
        // Customer data outlives a `cdk destroy` unless the team deletes it on purpose.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of spec.globalIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
          projectionType: index.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
        });
      }
      byKey[key] = table;
    }
    this.byKey = byKey;
  }

  /** Every table name, under the environment variables the handlers parse. */
  get environment(): Record<string, string> {
    return Object.fromEntries(
      (Object.keys(this.byKey) as TableKey[]).map((key) => [tableEnvVar[key], this.byKey[key].tableName]),
    );
  }
}
