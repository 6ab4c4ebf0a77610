// A message exactly as a customer would get it (compliance included), and a test send of it: used by
// template previews and test sends, and by the broadcast checklist's sample renders and seed-list sends.

import type { Adapters } from '../../adapters/Adapters.js';
import { markEmailAdvertisement, markPushAdvertisement } from '../../core/delivery/compliance.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { renderEmail, renderPush, renderScope, renderSms, type RenderScope } from '../../core/delivery/render.js';
import { fitTitle, markSmsAdvertisement, smsShape } from '../../core/delivery/sms.js';
import { brandMessageMarkingRefusal, renderKakao } from '../../core/delivery/kakao.js';
import type { DeliverySettings } from '../../core/delivery/settings.js';
import { contentFor, type Template } from '../../core/delivery/template.js';
import { signUnsubscribeToken } from '../../core/delivery/unsubscribeLink.js';
import { knownUserKey, type UserKey } from '../../core/events/userKey.js';
import type { Profile } from '../../core/profiles/profile.js';
import { findProfile } from '../../core/profiles/updateProfiles.js';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';

export type PreviewInput = {
  userId?: string;
  variant?: string;
  category: 'marketing' | 'transactional';
  /** Stands in for the trigger event's properties (cart items, order). */
  event?: Record<string, unknown>;
};

export type PreviewOptions = {
  /** Render this part of the template (a fallback channel's) instead of the template's own. */
  channel?: Template['channel'];
  /** A profile already read (the checklist's samples). */
  profile?: Profile;
  journeyId?: string;
};

export async function previewMessage(template: Template, input: PreviewInput, adapters: Pick<Adapters, 'profiles' | 'settings'>, delivery?: DeliveryDeps, options: PreviewOptions = {}) {
  const userKey: UserKey = options.profile?.userKey ?? knownUserKey(input.userId ?? 'preview');
  const profile = options.profile ?? (input.userId ? (await findProfile(userKey, (k) => adapters.profiles.get(k)))?.profile : undefined);
  if (input.userId && !profile) throw new NotFoundError(`no profile for ${input.userId}`);
  const channel = options.channel ?? template.channel;
  if (!template[channel]) throw new InvalidRequestError(`template ${template.id} has no ${channel} part`);
  const request = { journeyId: options.journeyId ?? 'preview', stepId: 'preview', variant: input.variant, idempotencyKey: `preview:${template.id}`, trigger: { event: 'Preview', properties: input.event } };
  const scope: RenderScope = renderScope(request, profile);
  const current = await adapters.settings.get();
  const marketing = input.category === 'marketing';
  if (channel === 'email') {
    const content = contentFor(template, 'email', input.variant);
    const base = delivery?.unsubscribe.baseUrl ?? 'https://example.invalid';
    const token = delivery ? signUnsubscribeToken({ userKey, channel: 'email', messageId: request.idempotencyKey }, delivery.unsubscribe.secret) : 'preview';
    const unsubscribeUrl = `${base}/v1/unsubscribe?token=${token}`;
    let email = await renderEmail(content, scope);
    if (marketing) email = markEmailAdvertisement(email, current, { locale: profile?.locale, unsubscribeUrl });
    const headers: Record<string, string> = marketing
      ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {};
    return { channel: 'email' as const, email, headers, request, scope, sources: [content.subject, content.preheader ?? '', content.html, content.text ?? ''] };
  }
  if (channel === 'kakao') {
    const kakao = contentFor(template, 'kakao', input.variant);
    const rendered = await renderKakao(kakao, scope);
    const marking = kakao.kind === 'brand' ? brandMessageMarkingRefusal(kakao, current) : undefined;
    // A preview shows what would be refused, and why, instead of failing.
    return {
      channel: 'kakao' as const,
      kakao: { kind: kakao.kind, templateCode: kakao.templateCode, brandType: kakao.brandType, buttons: kakao.buttons, ...rendered, ...(marking ? { refusal: marking } : {}) },
      request,
      scope,
      sources: [...Object.values(kakao.variables), ...kakao.buttons.flatMap((b) => [b.linkMobile ?? '', b.linkPc ?? ''])],
    };
  }
  if (channel === 'sms') {
    const content = contentFor(template, 'sms', input.variant);
    const sms = await renderSms(content, scope);
    const text = marketing ? markSmsAdvertisement(sms.text, current) : sms.text;
    const shape = smsShape(text, sms.imageUrl !== undefined);
    return {
      channel: 'sms' as const,
      sms: { ...sms, text, ...(sms.title && shape.type !== 'SMS' ? { title: fitTitle(sms.title) } : {}), ...shape },
      request,
      scope,
      sources: [content.text, content.title ?? '', content.imageUrl ?? ''],
    };
  }
  const content = contentFor(template, 'push', input.variant);
  let push = await renderPush(content, scope);
  if (marketing) push = markPushAdvertisement(push, current, profile?.locale);
  return { channel: 'push' as const, push, request, scope, sources: [content.title, content.body, content.deepLink ?? '', content.imageUrl ?? ''] };
}

export type PreviewedMessage = Awaited<ReturnType<typeof previewMessage>>;

/** The text a checklist looks for links in. */
export function renderedTexts(message: PreviewedMessage): string[] {
  if (message.channel === 'email') return [message.email.html, message.email.text];
  if (message.channel === 'sms') return [message.sms.text];
  if (message.channel === 'kakao') return ['text' in message.kakao ? message.kakao.text : '', ...message.kakao.buttons.flatMap((b) => [b.linkMobile ?? '', b.linkPc ?? ''])];
  return [message.push.body, message.push.deepLink ?? ''];
}

/** Sends a rendered message to one address of its channel, marked as a test; the provider's id back. */
export async function sendTestMessage(message: PreviewedMessage, to: string, ref: string, delivery: DeliveryDeps | undefined, settings: DeliverySettings) {
  if (!delivery) throw new InvalidRequestError('this function cannot send');
  if (message.channel === 'email') {
    const id = await delivery.mailer.send({
      from: settings.email.from,
      to,
      subject: `[TEST] ${message.email.subject}`,
      html: message.email.html,
      text: message.email.text,
      headers: message.headers,
      messageRef: ref,
    });
    return { sent: true, providerMessageId: id };
  }
  if (message.channel === 'sms' || message.channel === 'kakao') {
    const from = settings.sms.from;
    if (!from || !settings.sms.senderNumbers.includes(from)) throw new InvalidRequestError(`sender number ${from ?? '(none)'} is not registered; set sms.senderNumbers and sms.from in the settings`);
    if (message.channel === 'sms') {
      const { sms } = message;
      const id = await delivery.messaging.sendSms({ from, to, type: sms.type, text: sms.text, title: sms.title, imageUrl: sms.imageUrl, messageRef: ref });
      return { sent: true, providerMessageId: id };
    }
    const { kakao } = message;
    if ('refusal' in kakao && kakao.refusal) return { sent: false, reason: kakao.refusal };
    const channelId = settings.kakao.channelId;
    if (!channelId) throw new InvalidRequestError('no KakaoTalk channel is configured (settings.kakao.channelId)');
    if (!('text' in kakao)) return { sent: false, reason: 'the template did not render' };
    const id = await delivery.messaging.sendKakao({
      kind: kakao.kind,
      to,
      from,
      channelId,
      templateCode: kakao.templateCode,
      variables: kakao.variables,
      text: kakao.text,
      brandType: kakao.brandType,
      buttons: kakao.buttons,
      messageRef: ref,
    });
    return { sent: true, providerMessageId: id };
  }
  const [platform, token] = to.startsWith('ios:') ? ['ios', to.slice(4)] : to.startsWith('web:') ? ['web', to.slice(4)] : [to.length === 64 && /^[0-9a-f]+$/i.test(to) ? 'ios' : 'android', to];
  const result = await delivery.push.send({ token, platform }, { ...message.push, messageRef: ref });
  return result.status === 'sent' ? { sent: true, providerMessageId: result.id } : { sent: false, reason: 'invalid push token' };
}
