// The two consent notices the Korean law asks for, as delivery requests and as the message each becomes:
// the result of an opt-in or opt-out (정보통신망법 제50조 제7항, within 14 days) and the two-yearly
// re-confirmation of advertising consent (시행령 제62조의3). Both are informational: no ad marking, no caps.

import { DateTime } from 'luxon';
import * as z from 'zod';
import { CONSENT_CHANNELS, type ConsentChannel, type Profile } from '../profiles/profile.js';
import type { ConsentLedgerEntry } from '../profiles/consentLedger.js';
import { complianceLanguage } from './compliance.js';
import type { Channel } from './channel.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import { recipientOf } from './guards.js';
import type { DeliverySettings } from './settings.js';
import type { Template } from './template.js';

export const NOTICE_KINDS = ['consent-confirmation', 'consent-renewal'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a notice says, carried on its delivery request; the wording is filled in where it is sent. */
export const noticeSchema = z.object({
  kind: z.enum(NOTICE_KINDS),
  changes: z
    .array(
      z.object({
        channel: z.enum(CONSENT_CHANNELS),
        change: z.enum(['granted', 'withdrawn']),
        at: z.iso.datetime(),
      }),
    )
    .min(1)
    .max(CONSENT_CHANNELS.length),
});
export type Notice = z.infer<typeof noticeSchema>;

/** The template name notices are logged under; real template ids cannot start with `$`. */
export const noticeTemplateName = (kind: NoticeKind) => `$${kind}`;

/** Kakao would need a template approved for each wording: a KakaoTalk consent is confirmed by text instead. */
const DELIVERY_CHANNEL: Partial<Record<ConsentChannel, Channel>> = {
  email: 'email',
  sms: 'sms',
  kakao: 'sms',
  push: 'push',
};
const ANY_CHANNEL: Channel[] = ['email', 'sms', 'push'];

/**
 * Where a notice about these consents goes: the channel concerned when the customer can be reached there (a
 * withdrawal is confirmed where it was withdrawn, the law asks for the result whatever it is), then any other
 * channel they can be reached on. Empty when there is none (the ledger still holds the change).
 */
export function noticeChannels(profile: Profile, concerned: ConsentChannel[]): Channel[] {
  const wanted = [
    ...concerned.map((c) => DELIVERY_CHANNEL[c]).filter((c): c is Channel => c !== undefined),
    ...ANY_CHANNEL,
  ];
  return [...new Set(wanted)].filter((c) => !('skip' in recipientOf(profile, c)));
}

function noticeRequest(
  profile: Profile,
  notice: Notice,
  idempotencyKey: string,
  instanceId: string,
  now: Date,
): DeliveryRequest | undefined {
  const [channel, ...fallback] = noticeChannels(
    profile,
    notice.changes.map((c) => c.channel),
  );
  if (!channel) return undefined;
  return {
    idempotencyKey,
    channel,
    ...(fallback.length > 0 ? { fallback } : {}),
    userKey: profile.userKey,
    ...(profile.userId ? { userId: profile.userId } : {}),
    template: noticeTemplateName(notice.kind),
    // Informational: consent is not asked (the notice is about it), caps and ad marking do not apply.
    category: 'transactional',
    journeyId: '$consent',
    journeyVersion: 0,
    stepId: notice.kind,
    instanceId,
    requestedAt: now.toISOString(),
    trigger: {},
    notice,
  };
}

/**
 * One confirmation per event that changed consent, covering every change it made. Keyed by the changes'
 * ledger ids, so a change delivered twice is confirmed once (the message log refuses the second claim).
 */
export function confirmationRequests(profile: Profile, entries: ConsentLedgerEntry[], now: Date): DeliveryRequest[] {
  const byEvent = new Map<string, ConsentLedgerEntry[]>();
  for (const entry of entries) {
    if (entry.source === 'renewal-notice' || entry.source === 'renewal-unreachable') continue;
    const key = entry.evidence.eventId ?? entry.id;
    byEvent.set(key, [...(byEvent.get(key) ?? []), entry]);
  }
  return [...byEvent.values()].flatMap((changes) => {
    const notice: Notice = {
      kind: 'consent-confirmation',
      changes: changes.map(({ channel, change, at }) => ({ channel, change, at })),
    };
    const request = noticeRequest(profile, notice, `consent-confirmation#${changes[0].id}`, changes[0].id, now);
    return request ? [request] : [];
  });
}

/** The re-confirmation of the advertising consent given at `since`, for its `cycle`-th two-year period. */
export function renewalRequest(
  profile: Profile,
  renewal: { id: string; channels: { channel: ConsentChannel; since: string }[] },
  now: Date,
): DeliveryRequest | undefined {
  const notice: Notice = {
    kind: 'consent-renewal',
    changes: renewal.channels.map(({ channel, since }) => ({ channel, change: 'granted', at: since })),
  };
  return noticeRequest(profile, notice, `consent-renewal#${renewal.id}`, renewal.id, now);
}

const CHANNEL_NAMES: Record<string, Record<ConsentChannel, string>> = {
  ko: {
    email: '이메일',
    push: '앱 푸시',
    sms: '문자(SMS)',
    kakao: '카카오톡',
    advertising: '광고성 정보',
    nightAdvertising: '야간(21시~8시) 광고성 정보',
  },
  en: {
    email: 'e-mail',
    push: 'app push notifications',
    sms: 'text messages',
    kakao: 'KakaoTalk',
    advertising: 'advertising',
    nightAdvertising: 'advertising at night (21:00–08:00)',
  },
};
const CHANGE_NAMES: Record<string, Record<'granted' | 'withdrawn', string>> = {
  ko: { granted: '수신동의', withdrawn: '수신거부' },
  en: { granted: 'consent given', withdrawn: 'consent withdrawn' },
};

/** The wording and its values for one customer: the template to compose, and what its `{{ event.* }}` read. */
export function noticeMessage(
  notice: Notice,
  settings: DeliverySettings,
  profile: Pick<Profile, 'locale'>,
  zone: string,
  now: Date,
): { template: Template; properties: Record<string, string> } {
  const wording =
    notice.kind === 'consent-confirmation' ? settings.consentNotices.confirmation : settings.consentNotices.renewal;
  const language = complianceLanguage(profile.locale, wording as Record<string, unknown> as Record<string, string>);
  const names = CHANNEL_NAMES[language] ?? CHANNEL_NAMES.en;
  const changeNames = CHANGE_NAMES[language] ?? CHANGE_NAMES.en;
  const date = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');
  const optOut = settings.sms.optOutNumber;
  const withdraw =
    language === 'ko'
      ? `메일 하단의 수신거부 링크, 앱의 알림 설정${optOut ? ` 또는 ${optOut}` : ''}(으)로`
      : `use the unsubscribe link in our e-mails or the app's notification settings${optOut ? `, or call ${optOut}` : ''}`;
  const properties = {
    sender: settings.sender.name,
    contact: settings.sender.contact,
    date: date(now.toISOString()),
    changes: notice.changes.map((c) => `- ${names[c.channel]}: ${changeNames[c.change]} (${date(c.at)})`).join('\n'),
    consentedAt: date(notice.changes.reduce((a, c) => (c.at < a ? c.at : a), notice.changes[0].at)),
    channels: notice.changes.map((c) => names[c.channel]).join(', '),
    withdraw,
  };
  const { subject, body } = wording[language];
  const html = body
    .split('\n')
    .map((line) => `<p>${line.replace(/\{\{\s*event\.changes\s*\}\}/g, '{{ event.changes | newline_to_br }}')}</p>`)
    .join('\n');
  const template: Template = {
    id: notice.kind,
    name: notice.kind,
    channel: 'email',
    email: { subject, html, text: body },
    sms: { text: body, title: subject },
    push: { title: subject, body },
    variants: {},
  };
  return { template, properties };
}
