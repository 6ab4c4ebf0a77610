// The workspace's delivery settings: sender identity, quiet hours, frequency caps, ad-law wording.

import * as z from 'zod';

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
  })
  .strict();

export type DeliverySettings = z.infer<typeof settingsSchema>;
export type CapRule = z.infer<typeof capRuleSchema>;

export const defaultSettings = (): DeliverySettings => settingsSchema.parse({});
