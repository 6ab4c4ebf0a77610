// What an e-mail provider's feedback does: the message log, the live counters, the suppression list for a hard
// bounce or a complaint, and an event on the customer's timeline so journeys can branch on opens and clicks.

import type { EventStore } from '../events/ports.js';
import type { MessageLog, SuppressionList } from '../delivery/ports.js';
import type { Feedback } from '../delivery/messageLog.js';
import { parseMessageRef } from '../delivery/messageRef.js';
import { systemEvent } from '../events/systemEvent.js';
import { recordFeedback, type FeedbackDeps } from '../metrics/recordFeedback.js';

export type EmailFeedbackKind = 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'rejected' | 'other';

export type EmailFeedback = {
  kind: EmailFeedbackKind;
  /** The `messageRef` the message was sent with (a tag on the provider's message). */
  messageRef: string;
  /** The provider's id of the message: repeated feedback on it lands on the same timeline event. */
  providerMessageId: string;
  recipients: string[];
  /** A soft (transient) bounce or a permanent one. */
  permanent?: boolean;
  link?: string;
  at: string;
};

export type EmailFeedbackDeps = FeedbackDeps & {
  messages: FeedbackDeps['messages'] & Pick<MessageLog, 'record'>;
  suppressions: Pick<SuppressionList, 'suppress'>;
  events: Pick<EventStore, 'append'>;
};

export type EmailFeedbackOutcome =
  | 'no message reference'
  | 'ignored'
  | 'recorded'
  | 'repeated'
  | 'rejected'
  | 'soft bounce';

const TIMELINE: Partial<Record<Feedback, string>> = {
  opened: 'Email Opened',
  clicked: 'Email Link Clicked',
  bounced: 'Email Bounced',
  complained: 'Email Marked as Spam',
};

export async function applyEmailFeedback(
  feedback: EmailFeedback,
  deps: EmailFeedbackDeps,
  now: Date,
): Promise<EmailFeedbackOutcome> {
  const ref = parseMessageRef(feedback.messageRef);
  if (!ref) return 'no message reference';
  if (feedback.kind === 'rejected') {
    await deps.messages.record(
      ref.userKey,
      ref.idempotencyKey,
      { status: 'failed', reason: 'rejected by SES (virus or policy)' },
      now,
    );
    return 'rejected';
  }
  if (feedback.kind === 'other') return 'ignored';
  // A soft bounce is transient: only a permanent bounce and a complaint suppress the address for good.
  const permanent = feedback.kind === 'complained' || (feedback.kind === 'bounced' && feedback.permanent === true);
  if (permanent) {
    const reason = feedback.kind === 'complained' ? 'complaint' : 'hard bounce';
    for (const address of feedback.recipients) await deps.suppressions.suppress(address, reason, feedback.at);
  }
  if (feedback.kind === 'bounced' && !permanent) return 'soft bounce';
  const first = await recordFeedback(deps, ref.userKey, ref.idempotencyKey, feedback.kind, feedback.at);
  const name = TIMELINE[feedback.kind];
  if (!first) return 'repeated'; // repeated opens and clicks count once
  if (!name) return 'recorded';
  const timeline = systemEvent({
    userKey: ref.userKey,
    messageId: `ses-${feedback.kind}-${feedback.providerMessageId}`,
    event: name,
    properties: {
      messageId: ref.idempotencyKey,
      journeyId: first.journeyId,
      stepId: first.stepId,
      template: first.template,
      ...(feedback.link ? { url: feedback.link } : {}),
    },
    timestamp: feedback.at,
    receivedAt: now.toISOString(),
    source: 'ses-events',
  });
  await deps.events.append([timeline]);
  return 'recorded';
}
