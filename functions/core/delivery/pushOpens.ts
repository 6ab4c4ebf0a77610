// Push opens arrive as ordinary events (`Push Opened` with the message id in its properties): they mark
// the message log, so journeys can branch on them like e-mail opens.

import { recordFeedback, type FeedbackDeps } from '../metrics/recordFeedback.js';
import type { StoredEvent } from '../events/storedEvent.js';
import type { UserKey } from '../events/userKey.js';

export const PUSH_OPENED = 'Push Opened';

export async function recordPushOpens(events: StoredEvent[], keys: UserKey[], deps: FeedbackDeps): Promise<number> {
  let recorded = 0;
  for (const event of events) {
    const messageId = event.event === PUSH_OPENED ? event.properties?.messageId : undefined;
    if (typeof messageId !== 'string' || messageId === '') continue;
    // The message may have been sent while the customer was anonymous: look under every key of theirs.
    for (const key of keys) {
      if (await recordFeedback(deps, key, messageId, 'opened', event.timestamp)) {
        recorded++;
        break;
      }
    }
  }
  return recorded;
}
