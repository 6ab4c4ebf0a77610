// The senders' gates, as pure decisions: consent and address, quiet hours, frequency-cap windows.

import { DateTime } from 'luxon';
import type { Profile, PushToken } from '../profiles/profile.js';
import { isTimeZone } from '../profiles/applyEvents.js';
import type { CapRule, DeliverySettings } from './settings.js';

import type { Channel } from './channel.js';
export type Category = 'marketing' | 'transactional';

export type Recipient =
  | { kind: 'email'; address: string }
  | { kind: 'push'; tokens: PushToken[] }
  | { kind: 'sms' | 'kakao'; phone: string };

/** Where the message would go, or why it cannot go anywhere (a recorded skip, never an error). */
export function recipientOf(profile: Profile | undefined, channel: Channel): Recipient | { skip: string } {
  if (!profile) return { skip: 'no profile' };
  if (channel === 'email')
    return profile.channels.email ? { kind: 'email', address: profile.channels.email } : { skip: 'no e-mail address' };
  if (channel === 'sms' || channel === 'kakao')
    return profile.channels.phone ? { kind: channel, phone: profile.channels.phone } : { skip: 'no phone number' };
  return profile.channels.push.length > 0 ? { kind: 'push', tokens: profile.channels.push } : { skip: 'no push token' };
}

/**
 * Consent: the channel's own consent for everything but transactional messages (an order receipt needs an
 * address only); marketing also needs advertising consent (정보통신망법 art. 50: prior opt-in).
 */
export function consentRefusal(profile: Profile, channel: Channel, category: Category): string | undefined {
  if (category === 'transactional') return undefined;
  if (profile.consent[channel]?.granted !== true) return `no ${channel} consent`;
  if (profile.consent.advertising?.granted !== true) return 'no advertising consent';
  return undefined;
}

export function customerZone(profile: Profile | undefined, settings: DeliverySettings): string {
  return profile?.timezone && isTimeZone(profile.timezone) ? profile.timezone : settings.timezone;
}

/**
 * Quiet hours (21:00–08:00 by default, in the customer's zone): a marketing message is deferred to the end
 * of the quiet period unless the customer consented to night-time advertising.
 */
export function quietHoursDeferral(
  now: Date,
  zone: string,
  settings: DeliverySettings,
  profile: Profile,
  category: Category,
): Date | undefined {
  const quiet = settings.quietHours;
  if (category !== 'marketing' || !quiet.enabled) return undefined;
  if (profile.consent.nightAdvertising?.granted === true) return undefined;
  return endOfWindow(now, zone, quiet.start, quiet.end);
}

/**
 * When `now` falls in the daily local window [start, end) — which may wrap past midnight — the instant the
 * window ends; otherwise undefined. An empty window (start = end) never holds anything back.
 */
export function endOfWindow(now: Date, zone: string, start: string, end: string): Date | undefined {
  if (start === end) return undefined;
  const local = DateTime.fromJSDate(now, { zone });
  const minutes = local.hour * 60 + local.minute;
  const [from, to] = [start, end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return undefined;
  let until = local.set({ hour: Math.floor(to / 60), minute: to % 60, second: 0, millisecond: 0 });
  if (until <= local) until = until.plus({ days: 1 });
  return until.toJSDate();
}

/** One counter per cap rule that applies: keyed by rule and the local day or ISO week it falls in. */
export type CapCounter = { rule: CapRule; key: string; expiresAt: number };

export function capCounters(
  rules: CapRule[],
  channel: Channel,
  category: Category,
  now: Date,
  zone: string,
): CapCounter[] {
  if (category !== 'marketing') return [];
  const local = DateTime.fromJSDate(now, { zone });
  return rules
    .filter((r) => r.channel === channel || r.channel === 'any')
    .map((rule) => {
      const start = rule.window === 'day' ? local.startOf('day') : local.startOf('week');
      const end = rule.window === 'day' ? start.plus({ days: 1 }) : start.plus({ weeks: 1 });
      const period =
        rule.window === 'day' ? start.toISODate() : `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
      // The counter outlives its window by a day so a clock skew between containers never resets it early.
      return { rule, key: `cap#${rule.id}#${period}`, expiresAt: Math.floor(end.toSeconds()) + 86_400 };
    });
}
