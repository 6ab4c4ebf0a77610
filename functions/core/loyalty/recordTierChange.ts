// A change of tier as an event: `Tier Changed` enters the Events table and comes back through the pipeline, so
// journeys trigger on it and the profile's timeline shows it.

import type { EventStore } from '../events/ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { systemEvent } from '../events/systemEvent.js';
import type { Profile } from '../profiles/profile.js';
import { TIER_CHANGED } from './tiers.js';

/**
 * Records the profile's last tier change if one of these events made it. A replay of the order records it again
 * with the same id and time, which lands on the same key: the stream shows no second event.
 */
export async function recordTierChange(
  profile: Profile,
  events: StoredEvent[],
  deps: { events: Pick<EventStore, 'append'> },
): Promise<StoredEvent | undefined> {
  const change = profile.loyalty?.lastTierChange;
  if (!change || !events.some((e) => e.messageId === change.source)) return undefined;
  const event = systemEvent({
    userKey: profile.userKey,
    messageId: `tier-changed-${change.source}`,
    event: TIER_CHANGED,
    properties: {
      from: change.from ?? null,
      to: change.to ?? null,
      revenue12m: change.revenue12m,
      orderMessageId: change.source,
    },
    timestamp: change.at,
    receivedAt: change.at,
    source: 'loyalty',
  });
  await deps.events.append([event]);
  return event;
}
