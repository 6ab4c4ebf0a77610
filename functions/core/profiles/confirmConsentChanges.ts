// A customer's consent changes from one stream batch: appended to the ledger, and each confirmed to them once.

import type { DeliveryQueue, SettingsStore } from '../delivery/ports.js';
import { confirmationRequests } from '../delivery/consentNotice.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { consentChanges } from './consentLedger.js';
import type { ConsentLedger } from './ports.js';
import type { Profile } from './profile.js';

export type ConsentChangeDeps = {
  consentLedger: Pick<ConsentLedger, 'append'>;
  deliveries: DeliveryQueue;
  settings: Pick<SettingsStore, 'get'>;
};

/**
 * `before`: the profile as stored before these events (undefined for a new customer). On a replay the stored
 * profile already holds the events, so nothing is a change and nothing is appended or sent again; the ledger's
 * condition and the message log's claim stop what a partly finished run left behind.
 */
export async function confirmConsentChanges(
  before: Profile | undefined,
  after: Profile,
  events: StoredEvent[],
  deps: ConsentChangeDeps,
  now: Date,
): Promise<number> {
  if (!events.some((e) => e.context?.consent?.categoryPreferences)) return 0;
  const changes = consentChanges(after.userKey, before?.consent ?? {}, events);
  if (changes.length === 0) return 0;
  const appended = await deps.consentLedger.append(changes);
  if (appended.length === 0 || !(await deps.settings.get()).consentNotices.enabled) return appended.length;
  for (const request of confirmationRequests(after, appended, now)) await deps.deliveries.enqueue(request);
  return appended.length;
}
