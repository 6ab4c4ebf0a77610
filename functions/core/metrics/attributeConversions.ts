// Attribution: a goal event (`Order Completed` by default) within the window after a message converts that
// message — the latest one of each journey or broadcast, held-out control messages included, so a variant's
// conversion rate can be set against its control group's. Each message converts once, with its revenue.

import type { MessageLog, MessageMetrics } from '../../ports.js';
import type { MessageLogEntry } from '../delivery/messageLog.js';
import type { StoredEvent } from '../events/storedEvent.js';
import type { UserKey } from '../events/userKey.js';
import { conversionCounts, dayOf } from './counters.js';

export type AttributionRule = { event: string; windowDays: number };
export type AttributionDeps = { messages: Pick<MessageLog, 'since' | 'convert'>; metrics: Pick<MessageMetrics, 'add'> };

/** `revenue`, else `total` (Segment's e-commerce spec uses both), when it is a number. */
export function revenueOf(event: Pick<StoredEvent, 'properties'>): number {
  const value = event.properties?.revenue ?? event.properties?.total;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** The messages a goal at `at` converts: per journey, the latest sent (or held-out) one in the window. */
export function attributable(messages: MessageLogEntry[], at: string, rule: AttributionRule): MessageLogEntry[] {
  const from = new Date(Date.parse(at) - rule.windowDays * 86_400_000).toISOString();
  const latest = new Map<string, MessageLogEntry>();
  for (const message of messages) {
    if (message.status !== 'sent' && message.status !== 'held-out') continue;
    const touched = message.sentAt ?? message.updatedAt ?? message.requestedAt;
    if (touched < from || touched > at) continue;
    const journey = message.journeyId ?? '-';
    const current = latest.get(journey);
    if (!current || (current.sentAt ?? current.updatedAt) < touched) latest.set(journey, message);
  }
  return [...latest.values()];
}

export async function attributeConversions(events: StoredEvent[], keys: UserKey[], rule: AttributionRule, deps: AttributionDeps): Promise<number> {
  let converted = 0;
  for (const event of events) {
    if (event.type !== 'track' || event.event !== rule.event) continue;
    const since = new Date(Date.parse(event.timestamp) - rule.windowDays * 86_400_000).toISOString();
    const revenue = revenueOf(event);
    // The customer may have been messaged while anonymous: every key of theirs.
    for (const key of keys) {
      for (const message of attributable(await deps.messages.since(key, since), event.timestamp, rule)) {
        const first = await deps.messages.convert(key, message.idempotencyKey, event.timestamp, revenue);
        if (!first) continue;
        await deps.metrics.add(first, dayOf(first.requestedAt), conversionCounts(revenue));
        converted++;
      }
    }
  }
  return converted;
}
