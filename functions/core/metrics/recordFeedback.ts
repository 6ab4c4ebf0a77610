// Feedback on a message (delivered, opened, clicked, bounced, complained, unsubscribed) onto its log row and, the first
// time only, onto the live counters — under the day the message was requested, so a day's rates add up.

import type { Feedback, MessageLogEntry } from '../delivery/messageLog.js';
import type { UserKey } from '../events/userKey.js';
import type { MessageLog } from '../delivery/ports.js';
import type { MessageMetrics } from './ports.js';
import { dayOf, feedbackCounts } from './counters.js';

export type FeedbackDeps = { messages: Pick<MessageLog, 'feedback'>; metrics: Pick<MessageMetrics, 'add'> };

export async function recordFeedback(
  deps: FeedbackDeps,
  userKey: UserKey,
  idempotencyKey: string,
  feedback: Feedback,
  at: string,
): Promise<MessageLogEntry | undefined> {
  const first = await deps.messages.feedback(userKey, idempotencyKey, feedback, at);
  if (first) await deps.metrics.add(first, dayOf(first.requestedAt), feedbackCounts(feedback));
  return first;
}
