// Liquid rendering: the profile, the trigger event and the journey in; a missing variable renders its
// fallback (`| default: "고객"`) or nothing — never "undefined".

import type { CatalogProduct } from '../offers/catalog.js';
import { compile } from 'html-to-text';
import { Liquid } from 'liquidjs';
import type { DeliveryRequest } from '../journeys/instance.js';
import { publicProfile, type Profile } from '../profiles/profile.js';
import { loyaltyAt } from '../loyalty/loyalty.js';
import type { EmailContent, PushContent, SmsContent } from './template.js';

// HTML parts escape every output (a customer's name is not markup); text parts do not.
const html = new Liquid({ outputEscape: 'escape', cache: 500 });
const text = new Liquid({ cache: 500 });

/**
 * Where `{% coupon "pool" %}` gets its code: the send claims one for the customer and message; a preview or a
 * test send shows a sample. Kept under a symbol so it is no variable a template (or the checklist) can see.
 */
export type CouponIssuer = (poolId: string) => Promise<string>;
export const COUPON_ISSUER = Symbol('coupon issuer');

/** A sample in place of a code wherever nothing is claimed (preview, checklist samples). */
export const sampleCouponIssuer: CouponIssuer = async (poolId) => `[${poolId} code]`;

/** liquidjs does not export its tag-options type; it is the non-class half of what registerTag takes. */
type TagImplOptions = Exclude<Parameters<Liquid['registerTag']>[1], abstract new (...args: never[]) => unknown>;

const couponTag: TagImplOptions = {
  parse(token) {
    const pool = /^\s*(["'])([a-z0-9][a-z0-9-]{0,63})\1\s*$/.exec(token.args);
    if (!pool) throw new Error(`{% coupon %} takes one pool id in quotes, e.g. {% coupon "welcome-10" %}`);
    this.pool = pool[2];
  },
  *render(ctx, emitter): Generator<unknown, void, string> {
    const issuer = (ctx.environments as { [COUPON_ISSUER]?: CouponIssuer })[COUPON_ISSUER] ?? sampleCouponIssuer;
    emitter.write(yield issuer(this.pool as string));
  },
};
html.registerTag('coupon', couponTag);
text.registerTag('coupon', couponTag);

/** The pool ids a template's sources name in `{% coupon %}` tags (the checklist counts what a send needs). */
export function couponPoolsIn(sources: string[]): string[] {
  const pools = new Set<string>();
  for (const source of sources)
    for (const m of source.matchAll(/\{%-?\s*coupon\s+(["'])([a-z0-9][a-z0-9-]{0,63})\1\s*-?%\}/g)) pools.add(m[2]);
  return [...pools];
}

export type RenderScope = Record<string, unknown> & { [COUPON_ISSUER]?: CouponIssuer };

export function renderScope(
  request: Pick<DeliveryRequest, 'journeyId' | 'stepId' | 'variant' | 'trigger' | 'idempotencyKey'>,
  profile: Profile | undefined,
  recommendations: CatalogProduct[] = [],
  at: string = profile?.updatedAt ?? '',
): RenderScope {
  return {
    profile: profile ? publicProfile(profile) : {},
    // The balance at send time (points expired since the profile's last write left out) and the tier:
    // `{{ loyalty.points }}`, `{% if loyalty.tier == "VIP" %}`.
    loyalty: loyaltyAt(profile, at),
    // The profile's ranked ids as catalog products: `{% for p in recommendations limit: 3 %}{{ p.name }}{% endfor %}`.
    recommendations,
    // As Segment names them: the event's name under `event`, its properties beside it (`event.name` is a product's).
    event: { event: request.trigger.event, ...(request.trigger.properties ?? {}) },
    journey: { id: request.journeyId, step: request.stepId, variant: request.variant },
    message: { id: request.idempotencyKey },
  };
}

export type RenderedEmail = { subject: string; preheader?: string; html: string; text: string };
export type RenderedPush = { title: string; body: string; deepLink?: string; imageUrl?: string };

export async function renderEmail(content: EmailContent, scope: RenderScope): Promise<RenderedEmail> {
  const [subject, preheader, body, plain] = await Promise.all([
    text.parseAndRender(content.subject, scope),
    content.preheader === undefined ? undefined : text.parseAndRender(content.preheader, scope),
    html.parseAndRender(content.html, scope),
    content.text === undefined ? undefined : text.parseAndRender(content.text, scope),
  ]);
  return {
    subject: oneLine(subject),
    ...(preheader ? { preheader: oneLine(preheader) } : {}),
    html: body,
    text: plain ?? htmlToText(body),
  };
}

export async function renderPush(content: PushContent, scope: RenderScope): Promise<RenderedPush> {
  const [title, body, deepLink, imageUrl] = await Promise.all([
    text.parseAndRender(content.title, scope),
    text.parseAndRender(content.body, scope),
    content.deepLink === undefined ? undefined : text.parseAndRender(content.deepLink, scope),
    content.imageUrl === undefined ? undefined : text.parseAndRender(content.imageUrl, scope),
  ]);
  return {
    title: oneLine(title),
    body: body.trim(),
    ...(deepLink ? { deepLink: deepLink.trim() } : {}),
    ...(imageUrl ? { imageUrl: imageUrl.trim() } : {}),
  };
}

/** Headers cannot carry line breaks: a subject rendered over several lines becomes one. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * A plain-text part for templates that only wrote HTML (mail clients and spam filters want one): html-to-text
 * skips the head (title, styles), decodes every entity and keeps each link's URL beside its text.
 */
const toText = compile({
  wordwrap: false,
  selectors: [
    // A tracking pixel or a logo says nothing in plain text.
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    // Headings keep their case: upper-casing Korean does nothing, and English shouts.
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    // E-mails lay out with tables: a cell is a block of its own, not a word glued to the next cell's.
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
  ],
});

export function htmlToText(markup: string): string {
  return toText(markup).trim();
}

export type RenderedSms = { text: string; title?: string; imageUrl?: string };

export async function renderSms(content: SmsContent, scope: RenderScope): Promise<RenderedSms> {
  const [body, title, imageUrl] = await Promise.all([
    text.parseAndRender(content.text, scope),
    content.title === undefined ? undefined : text.parseAndRender(content.title, scope),
    content.imageUrl === undefined ? undefined : text.parseAndRender(content.imageUrl, scope),
  ]);
  return {
    text: body.trim(),
    ...(title ? { title: oneLine(title) } : {}),
    ...(imageUrl ? { imageUrl: imageUrl.trim() } : {}),
  };
}

/**
 * Variables the sources print (`{{ … }}`) that the scope does not have and that no `| default:` covers: the
 * checklist's "missing personalisation" (a greeting rendered as "Hello ," is sent; it is not an error).
 * Variables only tested by `{% if %}` or looped over are logic, not text, and are left alone.
 */
export function missingVariables(sources: string[], scope: RenderScope): string[] {
  const missing = new Set<string>();
  for (const source of sources) {
    const outputs = [...source.matchAll(/\{\{-?([^}]*)-?\}\}/g)].map(([, expr]) => expr);
    for (const segments of text.globalVariableSegmentsSync(source)) {
      const path = segments.filter((s) => typeof s === 'string' || typeof s === 'number');
      const name = path.join('.');
      const printed = outputs.filter((expr) => expr.replace(/\s+/g, '').includes(name));
      if (printed.length === 0) continue;
      let value: unknown = scope;
      for (const key of path)
        value =
          value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
      if (value !== undefined && value !== null && value !== '') continue;
      // `{{ profile.traits.firstName | default: "고객" }}`: covered.
      if (printed.every((expr) => /\|\s*default\b/.test(expr))) continue;
      missing.add(name);
    }
  }
  return [...missing];
}
