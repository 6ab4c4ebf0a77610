// What a text or KakaoTalk provider's report does: a delivery result onto the message log and counters, or an
// 080 opt-out (Korea's free call-to-unsubscribe line) that suppresses the number and withdraws the consent.

import { createHash } from 'node:crypto';
import type { EventStore } from '../events/ports.js';
import type { MessageLog, SuppressionList } from '../delivery/ports.js';
import { parseMessageRef } from '../delivery/messageRef.js';
import { systemEvent } from '../events/systemEvent.js';
import { recordFeedback, type FeedbackDeps } from '../metrics/recordFeedback.js';

export type ProviderReport = {
  /** The `messageRef` Retain sent the message with. */
  messageRef: string;
  status: 'delivered' | 'failed' | 'opted-out';
  /** The provider's or carrier's result code. */
  code?: string;
  at?: string;
  /** For an opt-out: the number that called the 080 line. */
  phone?: string;
};

export type TextFeedbackDeps = FeedbackDeps & {
  messages: FeedbackDeps['messages'] & Pick<MessageLog, 'get'>;
  suppressions: Pick<SuppressionList, 'suppress'>;
  events: Pick<EventStore, 'append'>;
};

export type ProviderReportResult = 'unknown messageRef' | 'recorded' | 'already recorded' | 'unsubscribed';

export async function applyProviderReport(
  report: ProviderReport,
  deps: TextFeedbackDeps,
  now: Date,
): Promise<ProviderReportResult> {
  const ref = parseMessageRef(report.messageRef);
  if (!ref) return 'unknown messageRef';
  const at = report.at ? new Date(report.at).toISOString() : now.toISOString();
  if (report.status === 'delivered' || report.status === 'failed') {
    // A carrier's definite failure after acceptance is the text-message bounce.
    const feedback = report.status === 'delivered' ? 'delivered' : 'bounced';
    return (await recordFeedback(deps, ref.userKey, ref.idempotencyKey, feedback, at))
      ? 'recorded'
      : 'already recorded';
  }
  // An 080 opt-out: the number gets no more advertising, and the customer's consent for the channel goes.
  const message = await deps.messages.get(ref.userKey, ref.idempotencyKey);
  const channel = message?.deliveredVia ?? message?.channel ?? 'sms';
  if (report.phone) await deps.suppressions.suppress(report.phone, 'opt-out (080)', at);
  if (message) await recordFeedback(deps, ref.userKey, ref.idempotencyKey, 'unsubscribed', at);
  // The same report delivered twice is the same event (same id), so the pipeline applies it once.
  const id = createHash('sha256')
    .update(`${report.messageRef}\u0000${report.phone ?? ''}`)
    .digest('base64url')
    .slice(0, 32);
  await deps.events.append([
    systemEvent({
      userKey: ref.userKey,
      messageId: `optout-${id}`,
      event: 'Unsubscribed',
      properties: {
        channel,
        messageId: ref.idempotencyKey,
        method: '080',
        ...(report.code ? { code: report.code } : {}),
      },
      context: { consent: { categoryPreferences: { [channel]: false } } },
      timestamp: at,
      receivedAt: now.toISOString(),
      source: 'provider-reports',
    }),
  ]);
  return 'unsubscribed';
}
