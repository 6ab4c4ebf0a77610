// What one imported customer does to their profile, under the rules of live events: normalised addresses, newer consent wins.

import { isTimeZone } from '../profiles/applyEvents.js';
import { normaliseEmail, normalisePhone } from '../profiles/address.js';
import { applyConsentPreferences } from '../profiles/consent.js';
import { PROFILE_LIMITS, type Profile } from '../profiles/profile.js';
import type { ImportedCustomer, RefusedRecord } from './importedCustomer.js';

/** How each consent statement of a record fared; the report sums them. */
export type ConsentTally = {
  /** Dated statements now on the profile. */
  applied: number;
  /** Dated statements older than the one on record, which stays. */
  olderKept: number;
  /** Statements without a date: not proof, so the profile's consent stays unknown (or as it was). */
  withoutDate: number;
};

export type AppliedImport =
  | { kind: 'applied'; profile: Profile; changed: boolean; consent: ConsentTally }
  | { kind: 'refused'; refusal: RefusedRecord };

/**
 * Returns the profile with the record applied (a copy; `profile` is not touched) and whether anything changed.
 * Applying the same record again changes nothing, which is what makes a re-run of a file a no-op.
 */
export function applyImportedCustomer(profile: Profile, customer: ImportedCustomer, now: string): AppliedImport {
  const refuse = (field: string, reason: string): AppliedImport => ({
    kind: 'refused',
    refusal: { record: customer.record, field, reason },
  });
  const email = customer.email === undefined ? undefined : normaliseEmail(customer.email);
  if (customer.email !== undefined && email === undefined) return refuse('email', 'not a deliverable e-mail address');
  const phone = customer.phone === undefined ? undefined : normalisePhone(customer.phone);
  if (customer.phone !== undefined && phone === undefined) return refuse('phone', 'not a valid phone number');
  if (customer.timezone !== undefined && !isTimeZone(customer.timezone)) return refuse('timezone', 'unknown time zone');

  const draft = structuredClone(profile);
  if (customer.userId !== undefined && draft.userKey === `u:${customer.userId}`) draft.userId = customer.userId;
  for (const [key, value] of Object.entries(customer.traits)) {
    if (value === null) delete draft.traits[key];
    else draft.traits[key] = value;
  }
  if (email !== undefined) draft.channels.email = email;
  if (phone !== undefined) draft.channels.phone = phone;
  if (customer.timezone !== undefined) draft.timezone = customer.timezone;
  if (customer.locale !== undefined) draft.locale = customer.locale;
  for (const { token, platform } of customer.pushTokens) {
    if (draft.channels.push.some((t) => t.token === token && t.platform === platform)) continue;
    const others = draft.channels.push.filter((t) => t.token !== token);
    draft.channels.push = [...others, { token, platform, updatedAt: customer.statedAt ?? now }].slice(
      -PROFILE_LIMITS.pushTokens,
    );
  }

  const consent: ConsentTally = { applied: 0, olderKept: 0, withoutDate: 0 };
  for (const statement of customer.consents) {
    const at = statement.at ?? undefined;
    if (at === undefined) {
      consent.withoutDate++;
      continue;
    }
    const before = draft.consent[statement.channel];
    applyConsentPreferences(draft.consent, { [statement.channel]: statement.granted }, at);
    const after = draft.consent[statement.channel];
    if (after === before) {
      consent.olderKept++;
      continue;
    }
    consent.applied++;
    // The live rule keeps the statement of the same instant already recorded; so does a re-run, source included.
    draft.consent[statement.channel] =
      before && before.at === at && before.granted === statement.granted
        ? before
        : { granted: statement.granted, at, source: statement.source };
  }

  const changed = JSON.stringify(draft) !== JSON.stringify(profile);
  if (changed) draft.updatedAt = now > draft.updatedAt ? now : draft.updatedAt;
  return { kind: 'applied', profile: changed ? draft : profile, changed, consent };
}
