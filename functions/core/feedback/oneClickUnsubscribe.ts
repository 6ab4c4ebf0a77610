// An unsubscribe link used (RFC 8058 one-click): the consent is withdrawn by an `Unsubscribed` event, which the
// pipeline applies to the profile and the journeys, and the message counts one unsubscribe.

import { createHash } from 'node:crypto';
import type { EventStore } from '../events/ports.js';
import type { UnsubscribeClaim } from '../delivery/unsubscribeLink.js';
import { systemEvent } from '../events/systemEvent.js';
import { recordFeedback, type FeedbackDeps } from '../metrics/recordFeedback.js';

export type UnsubscribeDeps = FeedbackDeps & { events: Pick<EventStore, 'append'> };

/** `token`: the link's signed token; the same link used twice is the same event, so it counts once. */
export async function unsubscribeByLink(
  claim: UnsubscribeClaim,
  token: string,
  deps: UnsubscribeDeps,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await deps.events.append([
    systemEvent({
      userKey: claim.userKey,
      messageId: `unsubscribe-${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`,
      event: 'Unsubscribed',
      properties: { channel: claim.channel, messageId: claim.messageId, method: 'one-click' },
      context: { consent: { categoryPreferences: { [claim.channel]: false } } },
      timestamp: at,
      receivedAt: at,
      source: 'unsubscribe-link',
    }),
  ]);
  // Counted against the message once, however often the link is used.
  await recordFeedback(deps, claim.userKey, claim.messageId, 'unsubscribed', at);
}
