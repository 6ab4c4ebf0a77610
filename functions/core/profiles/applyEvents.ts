// Folds a customer's events into their profile: traits, channels, consent and computed attributes.

import type { StoredEvent } from '../events/storedEvent.js';
import { normaliseEmail, normalisePhone } from './address.js';
import { applyCommerceEvent, isCommerceEvent, ORDER_COMPLETED } from './commerce.js';
import { applyConsentPreferences } from './consent.js';
import { addEventCount } from './eventCounts.js';
import { PROFILE_LIMITS, type Profile } from './profile.js';
import { applyOrderLoyalty, expireProfilePoints, type LoyaltyRules } from '../loyalty/loyalty.js';

/** An event with its position in the stream, which makes re-applying it a no-op. */
export type PositionedEvent = { event: StoredEvent; position: string };

/** Returns a new profile with the events applied in order; events already applied are skipped. */
export function applyEvents(profile: Profile, events: PositionedEvent[], rules?: LoyaltyRules): Profile {
  const draft = structuredClone(profile);
  for (const e of events) applyEvent(draft, e, rules);
  return draft;
}

/**
 * Applies one event to a working copy; returns false when the stream position shows it was applied. `rules`
 * carry the loyalty programme (without them, orders earn no points, as with the programme off).
 */
export function applyEvent(draft: Profile, { event, position }: PositionedEvent, rules?: LoyaltyRules): boolean {
  const applied = draft.appliedPositions[event.userKey];
  if (applied !== undefined && BigInt(applied) >= BigInt(position)) return false;
  draft.appliedPositions[event.userKey] = position;

  const at = event.timestamp;
  const computed = draft.computed;
  if (at < computed.firstSeen) computed.firstSeen = at;
  if (at > computed.lastSeen) computed.lastSeen = at;
  if (event.userId !== undefined && draft.userKey === `u:${event.userId}`) draft.userId = event.userId;
  if (event.anonymousId !== undefined && !draft.anonymousIds.includes(event.anonymousId)) {
    draft.anonymousIds = [...draft.anonymousIds, event.anonymousId].slice(-PROFILE_LIMITS.mergedKeys);
  }

  applyContext(draft, event, at);

  switch (event.type) {
    case 'identify':
      if (event.traits) applyTraits(draft, event.traits);
      break;
    case 'track':
      count(draft, event.event!);
      if (isCommerceEvent(event.event!)) applyCommerceEvent(computed, event.event!, event.properties ?? {}, at);
      if (event.event === ORDER_COMPLETED && rules?.loyalty.enabled) applyOrderLoyalty(draft, event, rules);
      break;
    case 'page':
      count(draft, '$page');
      break;
    case 'screen':
      count(draft, '$screen');
      break;
    case 'group':
      if (event.groupId !== undefined && !draft.groupIds.includes(event.groupId)) {
        draft.groupIds = [...draft.groupIds, event.groupId].slice(-PROFILE_LIMITS.groupIds);
      }
      break;
    case 'alias':
      break;
  }
  expireProfilePoints(draft, at, rules?.loyalty);
  draft.updatedAt = at > draft.updatedAt ? at : draft.updatedAt;
  return true;
}

function applyContext(draft: Profile, event: StoredEvent, at: string): void {
  const context = event.context;
  if (!context) return;
  if (context.timezone && isTimeZone(context.timezone)) draft.timezone = context.timezone;
  if (context.locale) draft.locale = context.locale;
  const device = context.device;
  if (device?.token) {
    const platform = (device.type ?? 'unknown').toLowerCase();
    const others = draft.channels.push.filter((t) => t.token !== device.token);
    draft.channels.push = [...others, { token: device.token, platform, updatedAt: at }].slice(
      -PROFILE_LIMITS.pushTokens,
    );
  }
  const preferences = context.consent?.categoryPreferences;
  if (preferences) applyConsentPreferences(draft.consent, preferences, at);
}

/** Identify merges traits; a trait sent as null is removed, as Segment documents. */
function applyTraits(draft: Profile, traits: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(traits)) {
    if (value === null) delete draft.traits[key];
    else draft.traits[key] = value;
  }
  // The trait keeps what the app sent; the channel only ever one deliverable address. A value that is not
  // one (a list, a display name, a typo) leaves the channel as it was: it is not the customer's new address,
  // and a crafted list must not be able to add recipients.
  if ('email' in traits) {
    const email = normaliseEmail(traits.email);
    if (email !== undefined) draft.channels.email = email;
    else if (traits.email === null) delete draft.channels.email;
  }
  if ('phone' in traits) {
    const phone = normalisePhone(traits.phone);
    if (phone !== undefined) draft.channels.phone = phone;
    else if (traits.phone === null) delete draft.channels.phone;
  }
}

function count(draft: Profile, name: string): void {
  addEventCount(draft.computed.eventCounts, name);
}

const knownTimeZones = new Map<string, boolean>();

/** An unknown zone name is ignored rather than stored: quiet hours would compute nonsense from it. */
export function isTimeZone(name: string): boolean {
  let known = knownTimeZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    if (knownTimeZones.size < 1000) knownTimeZones.set(name, known);
  }
  return known;
}
