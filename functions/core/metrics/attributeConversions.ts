// Attribution: a goal event (`Order Completed` by default) within the window after a message converts that
// message — the latest one of each journey or broadcast, held-out control messages included, so a variant's
// conversion rate can be set against its control group's. Each message converts once, with its revenue.

import type { MessageLog } from '../delivery/ports.js';
import type { MessageMetrics } from './ports.js';
import type { MessageLogEntry } from '../delivery/messageLog.js';
import type { StoredEvent } from '../events/storedEvent.js';
import type { UserKey } from '../events/userKey.js';
import { conversionCounts, dayOf } from './counters.js';
import { recordFeedback } from './recordFeedback.js';

export type AttributionRule = { event: string; windowDays: number };
export type AttributionDeps = { messages: Pick<MessageLog, 'since' | 'convert'>; metrics: Pick<MessageMetrics, 'add'> };

/** `revenue`, else `total` (Segment's e-commerce spec uses both), when it is a number. */
export function revenueOf(event: Pick<StoredEvent, 'properties'>): number {
  const value = event.properties?.revenue ?? event.properties?.total;
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** A journey's own goal (event and window) replaces the workspace's rule for that journey's messages. */
export type JourneyGoals = (journeyId: string) => AttributionRule | undefined;

/**
 * The messages an event at `at` converts: per journey, the latest sent (or held-out) one within the window of
 * the rule that applies to it, if the event is that rule's event.
 */
export function attributable(
  messages: MessageLogEntry[],
  event: string,
  at: string,
  rule: AttributionRule,
  goals: JourneyGoals = () => undefined,
): MessageLogEntry[] {
  const latest = new Map<string, MessageLogEntry>();
  for (const message of messages) {
    if (message.status !== 'sent' && message.status !== 'held-out') continue;
    const applies = goals(message.journeyId ?? '') ?? rule;
    if (applies.event !== event) continue;
    const from = new Date(Date.parse(at) - applies.windowDays * 86_400_000).toISOString();
    const touched = message.sentAt ?? message.updatedAt ?? message.requestedAt;
    if (touched < from || touched > at) continue;
    const journey = message.journeyId ?? '-';
    const current = latest.get(journey);
    if (!current || (current.sentAt ?? current.updatedAt) < touched) latest.set(journey, message);
  }
  return [...latest.values()];
}

/** Goal events: the workspace's, and any journey's own. */
export function isGoalEvent(event: StoredEvent, rule: AttributionRule, goalEvents: ReadonlySet<string>): boolean {
  return (
    event.type === 'track' && event.event !== undefined && (event.event === rule.event || goalEvents.has(event.event))
  );
}

export async function attributeConversions(
  events: StoredEvent[],
  keys: UserKey[],
  rule: AttributionRule,
  deps: AttributionDeps,
  goals: { events: ReadonlySet<string>; of: JourneyGoals; longestDays: number } = {
    events: new Set(),
    of: () => undefined,
    longestDays: 0,
  },
): Promise<number> {
  let converted = 0;
  for (const event of events) {
    if (!isGoalEvent(event, rule, goals.events)) continue;
    const since = new Date(
      Date.parse(event.timestamp) - Math.max(rule.windowDays, goals.longestDays) * 86_400_000,
    ).toISOString();
    const revenue = revenueOf(event);
    // The customer may have been messaged while anonymous: every key of theirs.
    for (const key of keys) {
      for (const message of attributable(
        await deps.messages.since(key, since),
        event.event!,
        event.timestamp,
        rule,
        goals.of,
      )) {
        const first = await deps.messages.convert(key, message.idempotencyKey, event.timestamp, revenue);
        if (!first) continue;
        await deps.metrics.add(first, dayOf(first.requestedAt), conversionCounts(revenue));
        converted++;
      }
    }
  }
  return converted;
}

/** Push opt-outs: the latest push sent in the last 7 days gets an `unsubscribed` (once), as an unsubscribe link would. */
export async function countPushOptOut(
  keys: UserKey[],
  at: string,
  deps: { messages: Pick<MessageLog, 'since' | 'feedback'>; metrics: Pick<MessageMetrics, 'add'> },
): Promise<boolean> {
  const since = new Date(Date.parse(at) - 7 * 86_400_000).toISOString();
  for (const key of keys) {
    const pushes = (await deps.messages.since(key, since)).filter(
      (m) => m.status === 'sent' && (m.deliveredVia ?? m.channel) === 'push',
    );
    const latest = pushes.sort((a, b) => (b.sentAt ?? '').localeCompare(a.sentAt ?? ''))[0];
    if (latest && (await recordFeedback(deps, key, latest.idempotencyKey, 'unsubscribed', at))) return true;
  }
  return false;
}
