// Consent per channel from Segment Consent Management's `context.consent.categoryPreferences`.

import { CONSENT_CHANNELS, type Consent, type ConsentChannel } from './profile.js';

/** Category names as apps write them ("Email", "night_advertising", "Night Advertising") → our channel. */
const CHANNEL_BY_NORMALISED_NAME: ReadonlyMap<string, ConsentChannel> = new Map(
  CONSENT_CHANNELS.map((c) => [normalise(c), c]),
);

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * Applies the preferences stated at `at`. A statement older than the one on record is ignored, so events
 * arriving out of order (offline apps flushing late) never resurrect a withdrawn consent.
 */
export function applyConsentPreferences(
  consent: Partial<Record<ConsentChannel, Consent>>,
  preferences: Record<string, boolean>,
  at: string,
): void {
  for (const [name, granted] of Object.entries(preferences)) {
    const channel = CHANNEL_BY_NORMALISED_NAME.get(normalise(name));
    if (!channel) continue;
    const current = consent[channel];
    if (current && current.at > at) continue;
    // A restatement keeps when the consent was first given: the two-year re-confirmation counts from then.
    const since = current?.granted === granted ? consentSince(current) : at;
    consent[channel] = since === at ? { granted, at } : { granted, at, since };
  }
}

/** When the consent took its current value (`at` is only the latest statement of it). */
export function consentSince(consent: Consent): string {
  return consent.since ?? consent.at;
}
