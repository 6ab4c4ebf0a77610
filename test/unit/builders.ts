// Small builders for stored events in unit tests.
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';
import type { PositionedEvent } from '../../functions/core/profiles/applyEvents.js';
import { userKeyOf } from '../../functions/core/events/userKey.js';

let position = 1000n;

export function storedEvent(partial: Partial<StoredEvent> & Pick<StoredEvent, 'type'>): StoredEvent {
  const timestamp = partial.timestamp ?? '2026-11-23T10:00:00.000Z';
  const messageId = partial.messageId ?? `m${position}`;
  return {
    userKey: userKeyOf({
      userId: partial.userId,
      anonymousId: partial.anonymousId ?? (partial.userId ? undefined : 'anon'),
    }),
    sk: `${timestamp}#${messageId}`,
    messageId,
    timestamp,
    clientTimestamp: timestamp,
    receivedAt: timestamp,
    writeKeyId: 'wk',
    ...partial,
  };
}

export function positioned(partial: Partial<StoredEvent> & Pick<StoredEvent, 'type'>): PositionedEvent {
  position += 1n;
  return { event: storedEvent(partial), position: position.toString() };
}
