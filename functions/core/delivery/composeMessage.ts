// The one composer of an outgoing message: template, channel, variant, profile and settings in; the exact
// e-mail, push, text or KakaoTalk message out, with every refusal that stops it. The real send, the
// preview, the test send and the checklist's sample renders all read what it returns.

import type { Channel } from './channel.js';
import { markEmailAdvertisement, markPushAdvertisement } from './compliance.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import {
  alimTalkCategoryRefusal,
  brandMessageMarkingRefusal,
  brandMessageTargetRefusal,
  renderKakao,
} from './kakao.js';
import type { Mailer, MessagingProvider, OutgoingEmail, OutgoingKakao } from './ports.js';
import {
  COUPON_ISSUER,
  renderEmail,
  renderPush,
  renderScope,
  renderSms,
  type CouponIssuer,
  type RenderedPush,
  type RenderScope,
} from './render.js';
import type { DeliverySettings } from './settings.js';
import { fitTitle, LMS_MAX_BYTES, markSmsAdvertisement, optOutNumberProblem, smsShape, type SmsShape } from './sms.js';
import { contentFor, type Template } from './template.js';
import type { Profile } from '../profiles/profile.js';
import type { CatalogProduct } from '../offers/catalog.js';

export type MessageCategory = DeliveryRequest['category'];

/**
 * Why a message may not go out. `setting` names the workspace setting to fix when the cause is the
 * configuration rather than the content (a test send answers those with a 400 naming it).
 */
export type Refusal = { reason: string; setting?: string };

export type CompositionInput = {
  template: Template;
  /** The template's own channel or a fallback channel's part. */
  channel: Channel;
  variant?: string;
  category: MessageCategory;
  profile: Profile | undefined;
  settings: DeliverySettings;
  /** What the message renders from besides the profile (journey, step, trigger event, message id). */
  request: Pick<DeliveryRequest, 'journeyId' | 'stepId' | 'variant' | 'trigger' | 'idempotencyKey'>;
  /** This message's signed one-click unsubscribe link (marketing e-mail). */
  unsubscribeUrl: string;
  /** Claims the customer's code for `{% coupon %}` (the send); absent, a sample is shown (preview, checklist). */
  claimCoupon?: (poolId: string) => Promise<{ code: string } | { refusal: string }>;
  /** The profile's recommendations as catalog products, in rank order (what `recommendations` prints). */
  recommendations?: CatalogProduct[];
  /** When the message renders: `loyalty.points` leaves out points expired by then. */
  at?: string;
};

/** An e-mail as the mailer gets it, but for its recipient and reference. */
export type ComposedEmail = Omit<OutgoingEmail, 'to' | 'messageRef'> & { preheader?: string };
export type ComposedSms = SmsShape & { text: string; title?: string; imageUrl?: string };
export type ComposedKakao = Pick<OutgoingKakao, 'kind' | 'templateCode' | 'brandType' | 'target'> & {
  buttons: NonNullable<OutgoingKakao['buttons']>;
  /** Absent when the approved template could not be filled (the refusal says why). */
  text?: string;
  variables?: Record<string, string>;
};

export type ComposedMessage =
  | { channel: 'email'; email: ComposedEmail }
  | { channel: 'push'; push: RenderedPush }
  | { channel: 'sms'; sms: ComposedSms; from?: string }
  | { channel: 'kakao'; kakao: ComposedKakao; from?: string; channelId?: string };

type ComposedParts = ComposedMessage & {
  /** Everything that stops this message, configuration first; empty when it may go out. */
  refusals: Refusal[];
  /** What the Liquid sources rendered from, and the sources (the checklist's personalisation check). */
  scope: RenderScope;
  sources: string[];
};

export type Composition = ComposedParts & {
  /** The code each `{% coupon %}` pool gave this message (the message log keeps which code went to whom). */
  coupons: Record<string, string>;
};

export async function composeMessage(input: CompositionInput): Promise<Composition> {
  const coupons: Record<string, string> = {};
  const refusals: Refusal[] = [];
  const composed = await composeParts(input, couponsOnce(input.claimCoupon, coupons, refusals));
  // A message that cannot print its code does not go out with a hole where the code should be.
  return { ...composed, refusals: [...composed.refusals, ...refusals], coupons };
}

/** One claim per pool per message, however many parts (subject, body, text) print the tag. */
function couponsOnce(
  claim: CompositionInput['claimCoupon'],
  claimed: Record<string, string>,
  refusals: Refusal[],
): CouponIssuer | undefined {
  if (!claim) return undefined;
  const pending = new Map<string, Promise<string>>();
  return (poolId) => {
    let code = pending.get(poolId);
    if (!code) {
      code = claim(poolId).then((result) => {
        if ('code' in result) return (claimed[poolId] = result.code);
        refusals.push({ reason: result.refusal });
        return '';
      });
      pending.set(poolId, code);
    }
    return code;
  };
}

async function composeParts(input: CompositionInput, coupons: CouponIssuer | undefined): Promise<ComposedParts> {
  const { template, variant, settings, profile } = input;
  const scope: RenderScope = renderScope(input.request, profile, input.recommendations, input.at);
  if (coupons) scope[COUPON_ISSUER] = coupons;
  const marketing = input.category === 'marketing';

  if (input.channel === 'email') {
    const content = contentFor(template, 'email', variant);
    let email = await renderEmail(content, scope);
    if (marketing)
      email = markEmailAdvertisement(email, settings, {
        locale: profile?.locale,
        unsubscribeUrl: input.unsubscribeUrl,
      });
    const composed: ComposedEmail = {
      from: settings.email.from,
      ...(settings.email.replyTo ? { replyTo: settings.email.replyTo } : {}),
      subject: email.subject,
      ...(email.preheader ? { preheader: email.preheader } : {}),
      html: email.preheader ? `${preheaderHtml(email.preheader)}${email.html}` : email.html,
      text: email.text,
      // RFC 8058 one-click: mailbox providers show their own unsubscribe button and POST to the link.
      headers: marketing
        ? { 'List-Unsubscribe': `<${input.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {},
    };
    const sources = [content.subject, content.preheader ?? '', content.html, content.text ?? ''];
    return { channel: 'email', email: composed, refusals: [], scope, sources };
  }

  if (input.channel === 'push') {
    const content = contentFor(template, 'push', variant);
    let push = await renderPush(content, scope);
    if (marketing) push = markPushAdvertisement(push, settings, profile?.locale);
    const sources = [content.title, content.body, content.deepLink ?? '', content.imageUrl ?? ''];
    return { channel: 'push', push, refusals: [], scope, sources };
  }

  // Text and KakaoTalk go out from a number registered with the carriers (발신번호 사전등록).
  const from = settings.sms.from;
  const refusals: Refusal[] = [];
  if (!from || !settings.sms.senderNumbers.includes(from)) {
    refusals.push({
      reason: `sender number ${from ?? '(none)'} is not registered`,
      setting: 'sms.senderNumbers and sms.from',
    });
  }

  if (input.channel === 'sms') {
    const content = contentFor(template, 'sms', variant);
    const rendered = await renderSms(content, scope);
    const optOut = marketing ? optOutNumberProblem(settings) : undefined;
    if (optOut) refusals.push({ reason: optOut, setting: 'sms.optOutNumber' });
    const text = marketing ? markSmsAdvertisement(rendered.text, settings) : rendered.text;
    const shape = smsShape(text, rendered.imageUrl !== undefined);
    if (shape.type !== 'MMS' && shape.bytes > LMS_MAX_BYTES) {
      refusals.push({ reason: `the text is ${shape.bytes} bytes; an LMS carries at most ${LMS_MAX_BYTES}` });
    }
    const sms: ComposedSms = {
      text,
      // Only a long or multimedia message has a title line.
      ...(shape.type !== 'SMS' && rendered.title ? { title: fitTitle(rendered.title) } : {}),
      ...(rendered.imageUrl ? { imageUrl: rendered.imageUrl } : {}),
      ...shape,
    };
    const sources = [content.text, content.title ?? '', content.imageUrl ?? ''];
    return { channel: 'sms', sms, ...(from ? { from } : {}), refusals, scope, sources };
  }

  const kakao = contentFor(template, 'kakao', variant);
  const channelId = settings.kakao.channelId;
  if (!channelId)
    refusals.unshift({
      reason: 'no KakaoTalk channel is configured (settings.kakao.channelId)',
      setting: 'kakao.channelId',
    });
  const category = alimTalkCategoryRefusal(kakao, input.category);
  if (category) refusals.push({ reason: category });
  if (kakao.kind === 'brand') {
    const optOut = optOutNumberProblem(settings);
    const marking = optOut ? undefined : brandMessageMarkingRefusal(kakao, settings);
    if (optOut) refusals.push({ reason: optOut, setting: 'sms.optOutNumber' });
    if (marking) refusals.push({ reason: marking });
    const target = brandMessageTargetRefusal(kakao, settings);
    if (target) refusals.push(target);
  }
  const rendered = await renderKakao(kakao, scope);
  if ('refusal' in rendered) refusals.push({ reason: rendered.refusal });
  const composed: ComposedKakao = {
    kind: kakao.kind,
    templateCode: kakao.templateCode,
    brandType: kakao.brandType,
    ...(kakao.kind === 'brand' ? { target: kakao.target } : {}),
    buttons: kakao.buttons,
    ...('refusal' in rendered ? {} : rendered),
  };
  const sources = [
    ...Object.values(kakao.variables),
    ...kakao.buttons.flatMap((b) => [b.linkMobile ?? '', b.linkPc ?? '']),
  ];
  return {
    channel: 'kakao',
    kakao: composed,
    ...(from ? { from } : {}),
    ...(channelId ? { channelId } : {}),
    refusals,
    scope,
    sources,
  };
}

/** The hidden first line most mail clients show after the subject. */
function preheaderHtml(preheader: string): string {
  const escaped = preheader.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div style="display:none;max-height:0;overflow:hidden">${escaped}</div>`;
}

/** The e-mail the mailer gets for one recipient; a test send marks its subject. */
export function outgoingEmail(email: ComposedEmail, to: string, messageRef: string, subjectPrefix = ''): OutgoingEmail {
  const { preheader: _shownInHtml, ...rest } = email;
  return { ...rest, to, subject: `${subjectPrefix}${email.subject}`, messageRef };
}

/**
 * Hands a composed e-mail, text or KakaoTalk message with no refusal to its provider for one recipient:
 * the provider's message id back. Push goes token by token (see deliverMessage).
 */
export async function sendComposed(
  message: Exclude<Composition, { channel: 'push' }>,
  to: string,
  messageRef: string,
  providers: { mailer: Mailer; messaging: MessagingProvider },
  options: { subjectPrefix?: string } = {},
): Promise<string> {
  if (message.refusals.length > 0) throw new TypeError(`a refused message is not sent: ${message.refusals[0].reason}`);
  if (message.channel === 'email')
    return providers.mailer.send(outgoingEmail(message.email, to, messageRef, options.subjectPrefix));
  if (message.channel === 'sms') {
    const { type, text, title, imageUrl } = message.sms;
    return providers.messaging.sendSms({
      from: message.from!,
      to,
      type,
      text,
      ...(title ? { title } : {}),
      ...(imageUrl ? { imageUrl } : {}),
      messageRef,
    });
  }
  const { kakao } = message;
  return providers.messaging.sendKakao({
    kind: kakao.kind,
    to,
    from: message.from!,
    channelId: message.channelId!,
    templateCode: kakao.templateCode,
    variables: kakao.variables!,
    text: kakao.text!,
    brandType: kakao.brandType,
    ...(kakao.target ? { target: kakao.target } : {}),
    ...(kakao.buttons.length > 0 ? { buttons: kakao.buttons } : {}),
    messageRef,
  });
}
