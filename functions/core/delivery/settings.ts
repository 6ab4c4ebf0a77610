// The workspace's delivery settings: sender identity, quiet hours, frequency caps, ad-law wording.

import * as z from 'zod';
import { approvalSettingsSchema } from '../approvals/approval.js';
import { loyaltySettingsSchema } from '../loyalty/loyaltySettings.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const capRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    /** `any` counts every channel together. */
    channel: z.enum(['email', 'push', 'sms', 'kakao', 'any']),
    window: z.enum(['day', 'week']),
    limit: z.number().int().min(0).max(1000),
  })
  .strict();

const noticeText = z.object({ subject: z.string().min(1).max(200), body: z.string().min(1).max(2000) }).strict();
const noticeWording = z
  .record(z.string().regex(/^[a-z]{2}$/, 'a two-letter language code'), noticeText)
  .refine((w) => Object.keys(w).length > 0, 'at least one language');

const CONFIRMATION_WORDING = {
  ko: {
    subject: '[{{ event.sender }}] 수신동의 처리 결과 안내',
    body:
      '{{ event.sender }}에서 알려드립니다.\n{{ event.date }}에 고객님의 광고성 정보 수신 설정이 다음과 같이 처리되었습니다.\n' +
      '{{ event.changes }}\n문의: {{ event.contact }}',
  },
  en: {
    subject: '[{{ event.sender }}] Your message preferences were updated',
    body:
      'This is {{ event.sender }}.\nOn {{ event.date }} your preferences for receiving advertising were updated as follows:\n' +
      '{{ event.changes }}\nQuestions: {{ event.contact }}',
  },
};
const RENEWAL_WORDING = {
  ko: {
    subject: '[{{ event.sender }}] 광고성 정보 수신동의 현황 안내',
    body:
      '{{ event.sender }}에서 알려드립니다.\n고객님은 {{ event.consentedAt }}에 {{ event.sender }}의 광고성 정보 수신에 동의하셨습니다({{ event.channels }}).\n' +
      '수신을 원하지 않으시면 {{ event.withdraw }} 언제든 무료로 수신거부하실 수 있습니다.\n문의: {{ event.contact }}',
  },
  en: {
    subject: '[{{ event.sender }}] A reminder of your consent to advertising',
    body:
      'This is {{ event.sender }}.\nOn {{ event.consentedAt }} you agreed to receive advertising from {{ event.sender }} ({{ event.channels }}).\n' +
      'If you no longer wish to receive it, {{ event.withdraw }}, at any time and at no cost.\nQuestions: {{ event.contact }}',
  },
};

export const settingsSchema = z
  .object({
    sender: z
      .object({
        /** 정보통신망법 art. 50: the sender's name and contact go on every advertisement. */
        name: z.string().min(1).max(100).default('Retain'),
        contact: z.string().min(1).max(200).default('help@example.com'),
      })
      .strict()
      .prefault({}),
    email: z
      .object({
        from: z.string().min(3).max(300).default('Retain <no-reply@example.com>'),
        replyTo: z.string().max(300).optional(),
      })
      .strict()
      .prefault({}),
    sms: z
      .object({
        /** Numbers registered with the carrier (발신번호 사전등록); a send from any other is refused. */
        senderNumbers: z
          .array(z.string().regex(/^[0-9-]{8,20}$/))
          .max(50)
          .default([]),
        from: z
          .string()
          .regex(/^[0-9-]{8,20}$/)
          .optional(),
        /** The free opt-out line every marketing text ends with; until it is set, marketing texts are refused. */
        optOutNumber: z.string().max(20).optional(),
      })
      .strict()
      .prefault({}),
    kakao: z
      .object({
        /** The KakaoTalk channel's id at the provider (SOLAPI's pfId). */
        channelId: z.string().max(100).optional(),
      })
      .strict()
      .prefault({}),
    /** Where test sends go: every broadcast is sent here after its last edit before it may go out. */
    seedList: z
      .object({
        email: z.array(z.email()).max(50).default([]),
        sms: z
          .array(z.string().regex(/^[0-9-]{8,20}$/))
          .max(50)
          .default([]),
        kakao: z
          .array(z.string().regex(/^[0-9-]{8,20}$/))
          .max(50)
          .default([]),
        /** Push tokens of the team's own devices (`ios:<hex>`, or an FCM/Web Push token). */
        push: z.array(z.string().min(8).max(4096)).max(50).default([]),
      })
      .strict()
      .prefault({}),
    /** Broadcast throttles: recipients per minute per channel, spread rather than all at once. */
    broadcasts: z
      .object({
        ratePerMinute: z
          .object({
            email: z.number().int().min(1).max(1_000_000).default(6_000),
            push: z.number().int().min(1).max(1_000_000).default(60_000),
            sms: z.number().int().min(1).max(1_000_000).default(3_000),
            kakao: z.number().int().min(1).max(1_000_000).default(3_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Which event converts a message, and for how long after it was sent (reports state this rule). */
    attribution: z
      .object({
        event: z.string().min(1).max(200).default('Order Completed'),
        windowDays: z.number().min(0.1).max(90).default(3),
      })
      .strict()
      .prefault({}),
    /** Lifecycle stages: days since the last event (or order) and the revenue that makes a VIP. */
    lifecycle: z
      .object({
        newDays: z.number().int().min(1).max(365).default(30),
        activeDays: z.number().int().min(1).max(365).default(30),
        atRiskDays: z.number().int().min(1).max(730).default(90),
        dormantDays: z.number().int().min(1).max(1095).default(180),
        vipRevenue: z.number().min(0).default(500_000),
      })
      .strict()
      .prefault({}),
    /** The zone used when a customer's is unknown. */
    timezone: z.string().default('Asia/Seoul'),
    quietHours: z
      .object({
        enabled: z.boolean().default(true),
        start: clockTime.default('21:00'),
        end: clockTime.default('08:00'),
      })
      .strict()
      .prefault({}),
    caps: z
      .array(capRuleSchema)
      .max(20)
      .default([
        { id: 'push-daily', channel: 'push', window: 'day', limit: 1 },
        { id: 'push-weekly', channel: 'push', window: 'week', limit: 3 },
        { id: 'email-daily', channel: 'email', window: 'day', limit: 1 },
      ]),
    compliance: z
      .object({
        adPrefix: z.string().max(20).default('(광고)'),
        /** Footer lines by language (`ko`, `en`); `{sender}`, `{contact}` and `{unsubscribeUrl}` are filled in. */
        emailFooter: z.record(z.string(), z.string().max(1000)).default({
          ko: '본 메일은 {sender}의 광고성 정보입니다. 문의: {contact}. 수신을 원하지 않으시면 [수신거부]({unsubscribeUrl})를 눌러 주세요(무료).',
          en: 'This advertisement is from {sender}. Contact: {contact}. To stop receiving these messages, [unsubscribe]({unsubscribeUrl}) at no cost.',
        }),
        pushOptOut: z.record(z.string(), z.string().max(300)).default({
          ko: '수신거부: 앱 설정 > 알림에서 무료로 해지',
          en: 'Opt out for free: app Settings > Notifications',
        }),
        /** The last line of a marketing text message; `{number}` is the workspace's 080 number. */
        smsOptOut: z.string().max(100).default('무료수신거부 {number}'),
      })
      .strict()
      .prefault({}),
    /**
     * The two consent notices the law asks for, by language (`ko`, `en`), in Liquid: the result of an opt-in or
     * opt-out within 14 days (정보통신망법 제50조 제7항) and the two-yearly re-confirmation (시행령 제62조의3).
     * See docs/consent.md for the variables (`{{ event.changes }}`, `{{ event.sender }}` …).
     */
    consentNotices: z
      .object({
        /** Off by default: the notices reach every customer whose consent changes, so a team reads the wording first. The law asks for them either way (here or from another system). */
        enabled: z.boolean().default(false),
        confirmation: noticeWording.default(CONFIRMATION_WORDING),
        renewal: noticeWording.default(RENEWAL_WORDING),
      })
      .strict()
      .prefault({}),
    /**
     * Kakao Brand Message targets beyond the channel's friends (I): M and N reach consented non-friends and need
     * Kakao's approval, a registered 080 number and enough friends; until enabled here they are refused.
     */
    brandMessageTargets: z
      .object({
        m: z.boolean().default(false),
        n: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Points on orders and journey steps, and tiers by 12-month revenue: off until enabled (docs/offers.md). */
    loyalty: loyaltySettingsSchema.prefault({}),
    /** A second person's approval before a broadcast is sent or a journey activated: off until turned on. */
    approvals: approvalSettingsSchema.prefault({}),
  })
  .strict();

export type DeliverySettings = z.infer<typeof settingsSchema>;
export type CapRule = z.infer<typeof capRuleSchema>;
export type NoticeText = z.infer<typeof noticeText>;

export const defaultSettings = (): DeliverySettings => settingsSchema.parse({});
