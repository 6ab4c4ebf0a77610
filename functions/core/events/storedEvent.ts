// An accepted event as Retain stores it: the Segment message plus where and when it was received.

import type { MessageType, SegmentContext } from './segmentMessage.js';
import type { UserKey } from './userKey.js';

export type StoredEvent = {
  userKey: UserKey;
  /** `<client timestamp, UTC ISO>#<messageId>`: a retried message lands on the same key. */
  sk: string;
  type: MessageType;
  messageId: string;
  userId?: string;
  anonymousId?: string;
  event?: string;
  name?: string;
  category?: string;
  groupId?: string;
  previousId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: SegmentContext;
  integrations?: Record<string, unknown>;
  /** Skew-corrected event time (receivedAt - (sentAt - timestamp)); all time logic uses this. */
  timestamp: string;
  /** The time the client stamped on the message, normalised to UTC ISO; part of the key. */
  clientTimestamp: string;
  sentAt?: string;
  receivedAt: string;
  writeKeyId: string;
};
