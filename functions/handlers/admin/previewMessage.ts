// A message exactly as a customer would get it (the core composer's output), and a test send of it: used by
// template previews and test sends, and by the broadcast checklist's sample renders and seed-list sends.

import type { Adapters } from '../../adapters/Adapters.js';
import { composeMessage, sendComposed } from '../../core/delivery/composeMessage.js';
import { type DeliveryDeps, recommendedProducts } from '../../core/delivery/deliverMessage.js';
import { unsubscribeUrl } from '../../core/delivery/unsubscribeLink.js';
import type { DeliverySettings } from '../../core/delivery/settings.js';
import type { Template } from '../../core/delivery/template.js';
import { knownUserKey, type UserKey } from '../../core/events/userKey.js';
import type { CatalogStore } from '../../core/offers/ports.js';
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

export async function previewMessage(
  template: Template,
  input: PreviewInput,
  /** Without a catalog (the checklist's samples) `recommendations` renders as an empty list. */
  adapters: Pick<Adapters, 'profiles' | 'settings'> & { catalog?: Pick<CatalogStore, 'getMany'> },
  delivery?: DeliveryDeps,
  options: PreviewOptions = {},
) {
  const userKey: UserKey = options.profile?.userKey ?? knownUserKey(input.userId ?? 'preview');
  const found =
    input.userId && !options.profile ? await findProfile(userKey, (k) => adapters.profiles.get(k)) : undefined;
  const profile = options.profile ?? found?.profile;
  if (input.userId && !profile) throw new NotFoundError(`no profile for ${input.userId}`);
  const channel = options.channel ?? template.channel;
  if (!template[channel]) throw new InvalidRequestError(`template ${template.id} has no ${channel} part`);
  const request = {
    journeyId: options.journeyId ?? 'preview',
    stepId: 'preview',
    variant: input.variant,
    idempotencyKey: `preview:${template.id}`,
    trigger: { event: 'Preview', properties: input.event },
  };
  // Without a sender (the admin function of a deployment that cannot send) the link cannot be signed.
  const link = delivery
    ? unsubscribeUrl(delivery.unsubscribe, { userKey, messageId: request.idempotencyKey })
    : 'https://example.invalid/v1/unsubscribe?token=preview';
  const composed = await composeMessage({
    template,
    channel,
    variant: input.variant,
    category: input.category,
    profile,
    settings: await adapters.settings.get(),
    request,
    unsubscribeUrl: link,
    recommendations: profile && adapters.catalog ? await recommendedProducts(profile, adapters.catalog) : [],
  });
  const withRequest = { ...composed, request };
  if (withRequest.channel === 'email') return { ...withRequest, headers: withRequest.email.headers };
  if (withRequest.channel === 'kakao') {
    // The kakao part shows a content refusal as the checklist's samples have always read it.
    const content = withRequest.refusals.find((r) => !r.setting);
    return { ...withRequest, kakao: { ...withRequest.kakao, ...(content ? { refusal: content.reason } : {}) } };
  }
  return withRequest;
}

export type PreviewedMessage = Awaited<ReturnType<typeof previewMessage>>;

/** The text a checklist looks for links in. */
export function renderedTexts(message: PreviewedMessage): string[] {
  if (message.channel === 'email') return [message.email.html, message.email.text];
  if (message.channel === 'sms') return [message.sms.text];
  if (message.channel === 'kakao') {
    return [message.kakao.text ?? '', ...message.kakao.buttons.flatMap((b) => [b.linkMobile ?? '', b.linkPc ?? ''])];
  }
  return [message.push.body, message.push.deepLink ?? ''];
}

/**
 * Sends a composed message to one address of its channel, marked as a test: exactly what the real send
 * would hand its provider but for the `[TEST]` subject. The provider's id back, or why nothing was sent.
 */
export async function sendTestMessage(
  message: PreviewedMessage,
  to: string,
  ref: string,
  delivery: DeliveryDeps | undefined,
  _settings: DeliverySettings,
) {
  if (!delivery) throw new InvalidRequestError('this function cannot send');
  const [refusal] = message.refusals;
  if (refusal?.setting) throw new InvalidRequestError(`${refusal.reason}; set ${refusal.setting} in the settings`);
  if (refusal) return { sent: false, reason: refusal.reason };
  if (message.channel !== 'push') {
    const id = await sendComposed(message, to, ref, delivery, { subjectPrefix: '[TEST] ' });
    return { sent: true, providerMessageId: id };
  }
  const [platform, token] = to.startsWith('ios:')
    ? ['ios', to.slice(4)]
    : to.startsWith('web:')
      ? ['web', to.slice(4)]
      : [to.length === 64 && /^[0-9a-f]+$/i.test(to) ? 'ios' : 'android', to];
  const result = await delivery.push.send({ token, platform }, { ...message.push, messageRef: ref });
  return result.status === 'sent'
    ? { sent: true, providerMessageId: result.id }
    : { sent: false, reason: 'invalid push token' };
}
