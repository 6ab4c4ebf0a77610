// Message templates: Liquid content per channel, with optional per-variant overrides for A/B tests.

import { z } from 'zod';

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

export const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'template ids are lower-case letters, digits and -'),
    name: z.string().min(1).max(200),
    channel: z.enum(['email', 'push', 'sms']),
    email: emailContent.optional(),
    push: pushContent.optional(),
    sms: smsContent.optional(),
    /** Variant name (from a journey's split) → the parts that differ. */
    variants: z
      .record(z.string(), z.object({ email: emailContent.partial().optional(), push: pushContent.partial().optional(), sms: smsContent.partial().optional() }).strict())
      .default({}),
  })
  .strict()
  .refine((t) => t[t.channel] !== undefined, { message: 'the content for the template\'s channel is missing', path: ['channel'] });

export type Template = z.infer<typeof templateSchema>;
export type EmailContent = z.infer<typeof emailContent>;
export type PushContent = z.infer<typeof pushContent>;
export type SmsContent = z.infer<typeof smsContent>;

/** The content a variant sees: the template's, with the variant's parts laid over it. */
export function contentFor<C extends 'email' | 'push' | 'sms'>(template: Template, channel: C, variant?: string): NonNullable<Template[C]> {
  const base = template[channel] as NonNullable<Template[C]>;
  const override = variant ? template.variants[variant]?.[channel] : undefined;
  return { ...base, ...(override ?? {}) } as NonNullable<Template[C]>;
}
