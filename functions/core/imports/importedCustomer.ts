// One customer as an import states them: what a CSV row or a Pinpoint endpoint becomes before the import job applies it.

import type { ConsentChannel } from '../profiles/profile.js';

/** Where an imported statement came from, kept beside the consent as its evidence. */
export type ImportSource = 'csv' | 'pinpoint' | (string & {});

/**
 * One consent statement from the import. `at` is the date the source gives for it; a statement without one
 * is not proof of consent, so the job records it as unknown (no consent) and the report counts it.
 */
export type ImportedConsent = {
  channel: ConsentChannel;
  granted: boolean;
  at?: string;
  source: ImportSource;
};

export type ImportedPushToken = { token: string; platform: 'apns' | 'apns_sandbox' | 'fcm' | 'webpush' };

/**
 * A customer stated by one input record. Addresses are as written in the file: the job normalises them with
 * the same rules as live events (`normaliseEmail`, `normalisePhone`) and refuses the record naming the field.
 */
export type ImportedCustomer = {
  /** Where the record is in its file (1-based row or line), so the report can name it. */
  record: number;
  userId: string;
  email?: string;
  phone?: string;
  pushTokens: ImportedPushToken[];
  timezone?: string;
  locale?: string;
  traits: Record<string, unknown>;
  consents: ImportedConsent[];
  /** When the record's statements were made (Pinpoint's EffectiveDate, a CSV's updated-at column), if known. */
  statedAt?: string;
};

/** A record the converter could not read, with the reason the report shows beside its number. */
export type RefusedRecord = { record: number; field?: string; reason: string };
