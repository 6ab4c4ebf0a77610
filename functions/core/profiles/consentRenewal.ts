// The two-yearly re-confirmation of advertising consent (정보통신망법 제50조 제8항, 시행령 제62조의3): who is due,
// who will be, and the daily run that sends each notice once and keeps it in the ledger as evidence.

import { DateTime } from 'luxon';
import type { DeliveryQueue, SettingsStore } from '../delivery/ports.js';
import { renewalRequest } from '../delivery/consentNotice.js';
import type { UserKey } from '../events/userKey.js';
import { consentSince } from './consent.js';
import { shortHash, type ConsentLedgerEntry } from './consentLedger.js';
import type { ConsentLedger, ProfileStore } from './ports.js';
import { CONSENT_CHANNELS, type ConsentChannel, type Profile } from './profile.js';

export const RENEWAL_YEARS = 2;

export type Renewal = {
  userKey: UserKey;
  userId?: string;
  /** The ledger id of this cycle's notice: the same consent and cycle always give the same id. */
  id: string;
  /** Which two-year period: 1 at two years, 2 at four … */
  cycle: number;
  /** When the advertising consent was given. */
  consentedAt: string;
  dueAt: string;
  /** Every consent the notice reminds of, with when it was given. */
  channels: { channel: ConsentChannel; since: string }[];
};

const dueAtOf = (since: string, cycle: number) =>
  DateTime.fromISO(since, { zone: 'UTC' })
    .plus({ years: RENEWAL_YEARS * cycle })
    .toISO()!;

function renewalOf(profile: Profile, cycle: number): Renewal | undefined {
  const advertising = profile.consent.advertising;
  if (advertising?.granted !== true) return undefined;
  const consentedAt = consentSince(advertising);
  const dueAt = new Date(dueAtOf(consentedAt, cycle)).toISOString();
  const channels = CONSENT_CHANNELS.flatMap((channel) => {
    const consent = profile.consent[channel];
    return consent?.granted === true ? [{ channel, since: consentSince(consent) }] : [];
  });
  return {
    userKey: profile.userKey,
    ...(profile.userId ? { userId: profile.userId } : {}),
    id: `${dueAt}#advertising#renewal-${cycle}-${shortHash(consentedAt)}`,
    cycle,
    consentedAt,
    dueAt,
    channels,
  };
}

/** The latest re-confirmation that has fallen due by `now`, if any (an older missed one is not sent as well). */
export function dueRenewal(profile: Profile, now: Date): Renewal | undefined {
  const advertising = profile.consent.advertising;
  if (advertising?.granted !== true) return undefined;
  const since = DateTime.fromISO(consentSince(advertising), { zone: 'UTC' });
  const cycle = Math.floor(DateTime.fromJSDate(now, { zone: 'UTC' }).diff(since, 'years').years / RENEWAL_YEARS);
  return cycle >= 1 ? renewalOf(profile, cycle) : undefined;
}

/** The next re-confirmation after `now`. */
export function nextRenewal(profile: Profile, now: Date): Renewal | undefined {
  const due = dueRenewal(profile, now);
  return renewalOf(profile, (due?.cycle ?? 0) + 1);
}

/** Who is due a notice in the next `days` days, soonest first. */
export async function upcomingRenewals(
  deps: { profiles: Pick<ProfileStore, 'scan'> },
  now: Date,
  days: number,
): Promise<Renewal[]> {
  const until = now.getTime() + days * 86_400_000;
  const upcoming: Renewal[] = [];
  await deps.profiles.scan((profile) => {
    const next = nextRenewal(profile, now);
    if (next && Date.parse(next.dueAt) <= until) upcoming.push(next);
  });
  return upcoming.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

export type RenewalDeps = {
  settings: Pick<SettingsStore, 'get'>;
  profiles: Pick<ProfileStore, 'scan'>;
  consentLedger: Pick<ConsentLedger, 'has' | 'append'>;
  deliveries: DeliveryQueue;
};

export type RenewalRun = { due: number; sent: number; unreachable: number };

/** The ledger id of a cycle's notice that found no channel to go on. */
export const unreachableId = (renewal: Pick<Renewal, 'id'>) => `${renewal.id}#unreachable`;

/**
 * Sends every re-confirmation that has fallen due and is not in the ledger yet. The request goes first and the
 * ledger entry after: a crash between them sends the request again the next day, and the message log's claim on
 * its key stops the second copy, so a notice is neither lost nor sent twice.
 */
export async function sendRenewalNotices(deps: RenewalDeps, now: Date): Promise<RenewalRun> {
  if (!(await deps.settings.get()).consentNotices.enabled) return { due: 0, sent: 0, unreachable: 0 };
  const due: { renewal: Renewal; profile: Profile }[] = [];
  await deps.profiles.scan((profile) => {
    const renewal = dueRenewal(profile, now);
    if (renewal) due.push({ renewal, profile });
  });
  let sent = 0;
  let unreachable = 0;
  for (const { renewal, profile } of due) {
    if (await deps.consentLedger.has(renewal.userKey, renewal.id)) continue;
    const request = renewalRequest(profile, renewal, now);
    if (!request) {
      // Evidence of the attempt, once per cycle (the ledger's condition); under its own id, so the notice still
      // goes out on a later day if the customer becomes reachable.
      await deps.consentLedger.append([
        {
          userKey: renewal.userKey,
          id: unreachableId(renewal),
          channel: 'advertising',
          change: 'granted',
          at: now.toISOString(),
          source: 'renewal-unreachable',
          evidence: {},
        },
      ]);
      unreachable++;
      continue;
    }
    await deps.deliveries.enqueue(request);
    const entry: ConsentLedgerEntry = {
      userKey: renewal.userKey,
      id: renewal.id,
      channel: 'advertising',
      change: 'granted',
      at: now.toISOString(),
      source: 'renewal-notice',
      evidence: { noticeId: request.idempotencyKey },
    };
    await deps.consentLedger.append([entry]);
    sent++;
  }
  return { due: due.length, sent, unreachable };
}
