// The live counters: what happened to messages per journey (or broadcast) × step × variant × template × day,
// counted as it happens so dashboards never read raw events.

import type { MessageLogEntry, MessageStatus, Feedback } from '../delivery/messageLog.js';

/** What a count is filed under. A broadcast's journeyId is `broadcast:<id>`. */
export type MetricDimensions = Pick<MessageLogEntry, 'journeyId' | 'stepId' | 'variant' | 'template'>;

export const COUNTERS = [
  'requested',
  'sent',
  'skipped',
  'capped',
  'deferred',
  'failed',
  'heldOut',
  'cancelled',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
  'converted',
  'revenue',
  /** Σ revenue² per converted recipient: the variance Welch's test needs, from counters alone. */
  'revenueSquares',
  /** Coupon codes a sent message printed, the orders that used them, and those orders' revenue. */
  'couponsIssued',
  'couponsRedeemed',
  'couponRevenue',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Counter name → how much to add; skip reasons as `skipped:<reason>`. */
export type Counts = Partial<Record<Counter, number>> & Record<`skipped:${string}`, number>;

/** One stored row, already summed over its shards. */
export type MetricRow = MetricDimensions & { day: string; counts: Record<string, number> };

const STATUS_COUNTER: Partial<Record<MessageStatus, Counter>> = {
  sent: 'sent',
  skipped: 'skipped',
  capped: 'capped',
  deferred: 'deferred',
  failed: 'failed',
  'held-out': 'heldOut',
  cancelled: 'cancelled',
};

const FEEDBACK_COUNTER: Record<Feedback, Counter> = {
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  bounced: 'bounced',
  complained: 'complained',
  unsubscribed: 'unsubscribed',
};

/**
 * What an outcome adds. `firstOutcome`: the request's first recorded outcome (a deferred message that is
 * sent in the morning was requested once, not twice). A skip also counts under its reason.
 */
export function outcomeCounts(
  status: MessageStatus,
  reason: string | undefined,
  firstOutcome: boolean,
  couponsPrinted = 0,
): Counts | undefined {
  const counter = STATUS_COUNTER[status];
  const counts: Counts = {};
  if (counter) counts[counter] = 1;
  if (status === 'sent' && couponsPrinted > 0) counts.couponsIssued = couponsPrinted;
  if (firstOutcome) counts.requested = 1;
  if (status === 'skipped' && reason) counts[`skipped:${reason.slice(0, 60)}`] = 1;
  return Object.keys(counts).length > 0 ? counts : undefined;
}

export function feedbackCounts(feedback: Feedback): Counts {
  return { [FEEDBACK_COUNTER[feedback]]: 1 };
}

export function conversionCounts(revenue: number): Counts {
  return { converted: 1, ...(revenue > 0 ? { revenue, revenueSquares: revenue * revenue } : {}) };
}

/** An order used a code this message printed: counted on the message's day, as its conversion is. */
export function couponRedemptionCounts(revenue: number): Counts {
  return { couponsRedeemed: 1, ...(revenue > 0 ? { couponRevenue: revenue } : {}) };
}

export const dayOf = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString()).slice(0, 10);

/** Adds rows of the same dimensions (over days, or over templates of a step). */
export function sumCounts(rows: { counts: Record<string, number> }[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row.counts)) total[k] = (total[k] ?? 0) + v;
  return total;
}
