// The consent ledger: every change of a customer's consent, appended and never rewritten, with where it came
// from and the evidence that came with it — the proof Kakao and a regulator ask for.

import { createHash } from 'node:crypto';
import type { StoredEvent } from '../events/storedEvent.js';
import type { UserKey } from '../events/userKey.js';
import { applyConsentPreferences } from './consent.js';
import { CONSENT_CHANNELS, type Consent, type ConsentChannel } from './profile.js';

export const CONSENT_SOURCES = [
  'ingest',
  'unsubscribe',
  '080',
  'import',
  'admin',
  'renewal-notice',
  'renewal-unreachable',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** What came with the change; only what was known is there. */
export type ConsentEvidence = {
  /** The event that carried the change. */
  eventId?: string;
  /** The message the customer answered (the one whose unsubscribe link or 080 number they used). */
  messageId?: string;
  ip?: string;
  userAgent?: string;
  /** For a renewal notice: the delivery it was sent as. */
  noticeId?: string;
};

export type ConsentLedgerEntry = {
  userKey: UserKey;
  /** Unique within the customer's ledger and deterministic, so appending the same change twice is one entry. */
  id: string;
  channel: ConsentChannel;
  /** For a renewal notice (sent or unreachable), the consent it re-confirmed (always granted). */
  change: 'granted' | 'withdrawn';
  at: string;
  source: ConsentSource;
  evidence: ConsentEvidence;
};

/** Where an event's consent statement came from, by the source that recorded it. */
export function consentSourceOf(event: Pick<StoredEvent, 'writeKeyId'>): ConsentSource {
  const source = event.writeKeyId;
  if (source === 'unsubscribe-link') return 'unsubscribe';
  if (source === 'provider-reports') return '080';
  if (source === 'admin') return 'admin';
  if (source.startsWith('import')) return 'import';
  return 'ingest';
}

/**
 * The changes a customer's events make to the consent held before them, event by event, as the profile applies
 * them (same rule: an older statement never overrides a newer one). Restating what is on record is no change —
 * Segment's consent manager attaches the preferences to every event.
 */
export function consentChanges(
  userKey: UserKey,
  before: Partial<Record<ConsentChannel, Consent>>,
  events: StoredEvent[],
): ConsentLedgerEntry[] {
  const consent = structuredClone(before);
  const entries: ConsentLedgerEntry[] = [];
  for (const event of events) {
    const preferences = event.context?.consent?.categoryPreferences;
    if (!preferences) continue;
    const was = Object.fromEntries(CONSENT_CHANNELS.map((c) => [c, consent[c]?.granted]));
    applyConsentPreferences(consent, preferences, event.timestamp);
    for (const channel of CONSENT_CHANNELS) {
      const now = consent[channel]?.granted;
      if (now === undefined || now === was[channel]) continue;
      entries.push(changeEntry(userKey, channel, now, event));
    }
  }
  return entries;
}

function changeEntry(
  userKey: UserKey,
  channel: ConsentChannel,
  granted: boolean,
  event: StoredEvent,
): ConsentLedgerEntry {
  const context = event.context as (StoredEvent['context'] & { userAgent?: unknown }) | undefined;
  const answered = event.properties?.messageId;
  const evidence: ConsentEvidence = {
    eventId: event.messageId,
    ...(typeof answered === 'string' ? { messageId: answered } : {}),
    ...(typeof context?.ip === 'string' ? { ip: context.ip } : {}),
    ...(typeof context?.userAgent === 'string' ? { userAgent: context.userAgent } : {}),
  };
  return {
    userKey,
    id: `${event.timestamp}#${channel}#${shortHash(event.messageId)}`,
    channel,
    change: granted ? 'granted' : 'withdrawn',
    at: event.timestamp,
    source: consentSourceOf(event),
    evidence,
  };
}

export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

/**
 * What erasure keeps of a ledger: each withdrawal, under the SHA-256 of the customer's key, without the IP or
 * user agent — proof that "no" was said and when, should a message ever be disputed, and nothing that names the
 * person without their key.
 */
export type KeptWithdrawal = {
  customerHash: string;
  channel: ConsentChannel;
  at: string;
  source: ConsentSource;
  id: string;
};

export function keptWithdrawals(customerHash: string, entries: ConsentLedgerEntry[]): KeptWithdrawal[] {
  return entries
    .filter((e) => e.change === 'withdrawn')
    .map((e) => ({ customerHash, channel: e.channel, at: e.at, source: e.source, id: e.id }));
}

const CSV_COLUMNS = [
  'at',
  'channel',
  'change',
  'source',
  'eventId',
  'messageId',
  'ip',
  'userAgent',
  'noticeId',
] as const;

/** The ledger as proof to hand over: one row per entry, oldest first, every value quoted (RFC 4180). */
export function consentLedgerCsv(userId: string, entries: ConsentLedgerEntry[]): string {
  const quote = (v: string | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;
  const rows = entries.map((e) => {
    const row: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {
      at: e.at,
      channel: e.channel,
      change: e.change,
      source: e.source,
      ...e.evidence,
    };
    return [quote(userId), ...CSV_COLUMNS.map((c) => quote(row[c]))].join(',');
  });
  return `${['customer', ...CSV_COLUMNS].join(',')}\r\n${rows.map((r) => `${r}\r\n`).join('')}`;
}
