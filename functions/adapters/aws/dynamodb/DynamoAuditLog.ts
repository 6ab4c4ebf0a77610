// The audit log in its own table: one partition per UTC day, entries by time, gone after 400 days by TTL.

import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AUDIT_RETENTION_DAYS,
  matchesAuditQuery,
  type AuditEntry,
  type AuditQuery,
} from '../../../core/audit/auditEntry.js';
import type { AuditLog } from '../../../core/audit/ports.js';

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => `day#${iso.slice(0, 10)}`;

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_DAYS * 86_400;
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        // The id makes two entries of the same millisecond two items; the condition keeps an entry unrewritable.
        Item: { pk: dayOf(entry.at), sk: `${entry.at}#${entry.id}`, entry, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: string }> {
    const entries: AuditEntry[] = [];
    // `before` is an ISO time or an answer's `next` (an entry's sort key): both compare as the sort key does.
    let day = Date.parse(query.before.slice(0, 10));
    const first = Date.parse(query.from.slice(0, 10));
    let last: string | undefined;
    for (; day >= first; day -= DAY_MS) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :before',
            ExpressionAttributeValues: {
              ':pk': dayOf(new Date(day).toISOString()),
              ':from': query.from,
              ':before': query.before,
            },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
            Limit: 200,
          }),
        );
        for (const item of page.Items ?? []) {
          // BETWEEN includes `before`; the query's `before` is exclusive.
          if (String(item.sk) >= query.before) continue;
          const entry = item.entry as AuditEntry;
          if (!matchesAuditQuery(entry, query)) continue;
          entries.push(entry);
          last = String(item.sk);
          if (entries.length === query.limit) return { entries, next: last };
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return { entries };
  }
}
