// The live counters in the Metrics table: one item per journey shard × day × step × variant × template,
// each outcome an atomic ADD on a random one of four shards, so a broadcast's burst spreads over partitions.

import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Counts, MetricDimensions, MetricRow } from '../../../core/metrics/counters.js';
import type { MessageMetrics } from '../../../core/metrics/ports.js';

export const METRIC_SHARDS = 4;
const SEP = '\u001f';

const pkOf = (journeyId: string, shard: number) => `journey#${journeyId}#${shard}`;

export class DynamoMessageMetrics implements MessageMetrics {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shard: () => number = () => Math.floor(Math.random() * METRIC_SHARDS),
  ) {}

  async add(dimensions: MetricDimensions, day: string, counts: Counts): Promise<void> {
    const entries = Object.entries(counts).filter(([, v]) => typeof v === 'number' && v !== 0);
    if (entries.length === 0) return;
    // Each counter is a top-level number attribute (`c:<name>`): ADD creates the item and the attribute.
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: {
          pk: pkOf(dimensions.journeyId ?? '-', this.shard()),
          sk: [day, dimensions.stepId ?? '-', dimensions.variant ?? '-', dimensions.template].join(SEP),
        },
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, `c:${k}`])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:c${i}`, v])),
      }),
    );
  }

  async read(journeyId: string, fromDay: string, toDay: string): Promise<MetricRow[]> {
    const rows = new Map<string, MetricRow>();
    for (let shard = 0; shard < METRIC_SHARDS; shard++) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': pkOf(journeyId, shard),
              ':from': fromDay,
              ':to': `${toDay}${SEP}\uffff`,
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = item.sk as string;
          const [day, stepId, variant, template] = sk.split(SEP);
          const row = rows.get(sk) ?? {
            journeyId,
            stepId,
            ...(variant !== '-' ? { variant } : {}),
            template,
            day,
            counts: {},
          };
          for (const [k, v] of Object.entries(item))
            if (k.startsWith('c:')) row.counts[k.slice(2)] = (row.counts[k.slice(2)] ?? 0) + Number(v);
          rows.set(sk, row);
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return [...rows.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || String(a.stepId).localeCompare(String(b.stepId)),
    );
  }
}
