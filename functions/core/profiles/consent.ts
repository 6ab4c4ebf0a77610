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
    consent[channel] = { granted, at };
  }
}
