// Events Retain records itself (an unsubscribe, an e-mail open) in the shape client events have, so the
// pipeline, profiles and journeys treat them alike.

import type { SegmentContext } from './segmentMessage.js';
import type { StoredEvent } from './storedEvent.js';
import type { UserKey } from './userKey.js';

export function systemEvent(input: {
  userKey: UserKey;
  /** Deterministic, so recording the same fact twice lands on the same key. */
  messageId: string;
  event: string;
  properties: Record<string, unknown>;
  context?: SegmentContext;
  timestamp: string;
  receivedAt: string;
  source: string;
}): StoredEvent {
  const id = input.userKey.slice(2);
  return {
    userKey: input.userKey,
    sk: `${input.timestamp}#${input.messageId}`,
    type: 'track',
    messageId: input.messageId,
    ...(input.userKey.startsWith('u:') ? { userId: id } : { anonymousId: id }),
    event: input.event,
    properties: input.properties,
    ...(input.context ? { context: input.context } : {}),
    timestamp: input.timestamp,
    clientTimestamp: input.timestamp,
    receivedAt: input.receivedAt,
    writeKeyId: input.source,
  };
}
