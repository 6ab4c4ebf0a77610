// Message templates: Liquid content per channel, with optional per-variant overrides for A/B tests.

import * as z from 'zod';
import { CHANNELS, type Channel } from './channel.js';

const emailContent = z
  .object({
    subject: z.string().min(1).max(998),
    preheader: z.string().max(500).optional(),
    html: z.string().min(1).max(400_000),
    text: z.string().max(200_000).optional(),
  })
  .strict();

const pushContent = z
  .object({
    title: z.string().min(1).max(200),
    body: z.string().min(1).max(2000),
    deepLink: z.string().max(2000).optional(),
    imageUrl: z.string().max(2000).optional(),
  })
  .strict();

const smsContent = z
  .object({
    text: z.string().min(1).max(4000),
    /** LMS/MMS only; cut to 40 bytes. */
    title: z.string().max(200).optional(),
    imageUrl: z.string().max(2000).optional(),
  })
  .strict();

/**
 * Whom Kakao lets a Brand Message reach: I, the channel's friends who did not block ads; M and N, customers who
 * consented to the advertiser's messages without being friends (M) or whoever they are (N). M and N need Kakao's
 * approval (50,000 friends, proof of consent, a registered 080 number) and `settings.brandMessageTargets`.
 */
export const BRAND_MESSAGE_TARGETS = ['I', 'M', 'N'] as const;
export type BrandMessageTarget = (typeof BRAND_MESSAGE_TARGETS)[number];

const kakaoContent = z
  .object({
    /** AlimTalk: informational only. Brand Message: advertising (FriendTalk's successor). */
    kind: z.enum(['alimtalk', 'brand']),
    /** The provider's id of the template Kakao approved. */
    templateCode: z.string().min(1).max(100),
    /** The approved text, with its `#{변수}` placeholders, exactly as Kakao holds it. */
    text: z.string().min(1).max(1000),
    /** Placeholder name → Liquid that fills it (`{"이름": "{{ profile.traits.name }}"}`). */
    variables: z.record(z.string(), z.string().max(1000)).default({}),
    buttons: z
      .array(
        z
          .object({
            name: z.string().min(1).max(28),
            type: z.enum(['WL', 'AL', 'BK', 'MD', 'DS']),
            linkMobile: z.string().optional(),
            linkPc: z.string().optional(),
          })
          .strict(),
      )
      .max(5)
      .default([]),
    brandType: z.enum(['text', 'image', 'wide', 'carousel']).default('text'),
    /** Brand Messages only: whom Kakao delivers to (see BRAND_MESSAGE_TARGETS); I, the channel's friends, by default. */
    target: z.enum(BRAND_MESSAGE_TARGETS).default('I'),
    imageUrl: z.string().max(2000).optional(),
  })
  .strict();

export const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'template ids are lower-case letters, digits and -'),
    name: z.string().min(1).max(200),
    channel: z.enum(CHANNELS),
    email: emailContent.optional(),
    push: pushContent.optional(),
    sms: smsContent.optional(),
    kakao: kakaoContent.optional(),
    /** Variant name (from a journey's split) → the parts that differ. */
    variants: z
      .record(
        z.string(),
        z
          .object({
            email: emailContent.partial().optional(),
            push: pushContent.partial().optional(),
            sms: smsContent.partial().optional(),
            kakao: kakaoContent.partial().optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict()
  .refine((t) => t[t.channel] !== undefined, {
    message: "the content for the template's channel is missing",
    path: ['channel'],
  });

export type Template = z.infer<typeof templateSchema>;
export type EmailContent = z.infer<typeof emailContent>;
export type PushContent = z.infer<typeof pushContent>;
export type SmsContent = z.infer<typeof smsContent>;
export type KakaoContent = z.infer<typeof kakaoContent>;

/** The content a variant sees: the template's, with the variant's parts laid over it. */
export function contentFor<C extends Channel>(
  template: Template,
  channel: C,
  variant?: string,
): NonNullable<Template[C]> {
  const base = template[channel] as NonNullable<Template[C]>;
  const override = variant ? template.variants[variant]?.[channel] : undefined;
  return { ...base, ...(override ?? {}) } as NonNullable<Template[C]>;
}
