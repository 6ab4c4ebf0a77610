// The event archive's row: one flat record per accepted event, the same columns as NDJSON locally and as
// Parquet in S3 (Glue table `events`), partitioned by the event's day.

import type { StoredEvent } from '../events/storedEvent.js';
import { revenueOf } from '../metrics/attributeConversions.js';

export type ArchiveRecord = {
  id: string;
  /** The customer as the event named them: `u:<userId>` when known, else `a:<anonymousId>`. */
  customer: string;
  user_id: string | null;
  anonymous_id: string | null;
  type: string;
  event: string | null;
  /** The skew-corrected event time, ISO 8601 UTC. */
  ts: string;
  received_at: string;
  /** The event's properties as JSON text (reports read them with the dialect's JSON functions). */
  properties: string;
  campaign_source: string | null;
  device_type: string | null;
  revenue: number | null;
  dt: string;
};

/** Column names and types, for the Glue table and for DuckDB's reader (which must not guess). */
export const ARCHIVE_COLUMNS: Record<Exclude<keyof ArchiveRecord, 'dt'>, 'string' | 'double'> = {
  id: 'string',
  customer: 'string',
  user_id: 'string',
  anonymous_id: 'string',
  type: 'string',
  event: 'string',
  ts: 'string',
  received_at: 'string',
  properties: 'string',
  campaign_source: 'string',
  device_type: 'string',
  revenue: 'double',
};

export function archiveRecordOf(event: StoredEvent): ArchiveRecord {
  const context = (event.context ?? {}) as { campaign?: { source?: unknown }; device?: { type?: unknown } };
  const revenue = revenueOf(event);
  return {
    id: event.messageId,
    customer: event.userId ? `u:${event.userId}` : event.userKey,
    user_id: event.userId ?? null,
    anonymous_id: event.anonymousId ?? null,
    type: event.type,
    event:
      event.type === 'track'
        ? (event.event ?? null)
        : event.type === 'page' || event.type === 'screen'
          ? (event.name ?? null)
          : null,
    ts: event.timestamp,
    received_at: event.receivedAt,
    properties: JSON.stringify(event.properties ?? {}),
    campaign_source: typeof context.campaign?.source === 'string' ? context.campaign.source : null,
    device_type: typeof context.device?.type === 'string' ? context.device.type : null,
    revenue: revenue > 0 ? revenue : null,
    dt: event.timestamp.slice(0, 10),
  };
}
