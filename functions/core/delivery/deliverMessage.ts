// The sender use case: every gate in order — dedupe, consent, suppression, quiet hours, caps — then render,
// mark advertisements, send, and record what happened. A refusal is an outcome, never an exception.

import type { BroadcastStore } from '../broadcasts/ports.js';
import type { DeliveryDeferrer, DeliveryQueue, FrequencyCaps, Mailer, MessageLog, MessagingProvider, MessageLogUpdate, PushProvider, SettingsStore, SuppressionList, TemplateStore } from './ports.js';
import type { MessageMetrics } from '../metrics/ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import { ProviderRejectedError } from '../errors.js';
import type { DeliveryRequest } from '../journeys/instance.js';
import type { Profile } from '../profiles/profile.js';
import { findProfile } from '../profiles/updateProfiles.js';
import { markEmailAdvertisement, markPushAdvertisement } from './compliance.js';
import { capCounters, consentRefusal, customerZone, quietHoursDeferral, recipientOf } from './guards.js';
import { CHANNELS, type Channel } from './channel.js';
import type { MessageStatus } from './messageLog.js';
import { renderEmail, renderPush, renderScope, renderSms } from './render.js';
import { fitTitle, LMS_MAX_BYTES, markSmsAdvertisement, smsShape } from './sms.js';
import { BRAND_MESSAGE_CAP, brandMessageHoursDeferral, brandMessageMarkingRefusal, renderKakao } from './kakao.js';
import { contentFor } from './template.js';
import { signUnsubscribeToken } from './unsubscribeLink.js';
import { messageRef } from './messageRef.js';
import { dayOf, outcomeCounts } from '../metrics/counters.js';

export type DeliveryDeps = {
  messages: MessageLog;
  profiles: ProfileStore;
  suppressions: SuppressionList;
  caps: FrequencyCaps;
  templates: TemplateStore;
  settings: SettingsStore;
  deferrer: DeliveryDeferrer;
  mailer: Mailer;
  push: PushProvider;
  messaging: MessagingProvider;
  /** Where a request goes to try its next channel. */
  deliveries: DeliveryQueue;
  /** Where the public unsubscribe endpoint is, and the key its links are signed with. */
  unsubscribe: { baseUrl: string; secret: string };
  /** A broadcast's requests ask whether it was cancelled. */
  broadcasts: Pick<BroadcastStore, 'status'>;
  metrics: MessageMetrics;
};

export type DeliveryOutcome = { status: MessageStatus | 'duplicate'; reason?: string };

/** Channels this sender handles; a request for another is refused (and may fall back). */
const SENDABLE: ReadonlySet<string> = new Set<Channel>(CHANNELS);

export async function deliverMessage(request: DeliveryRequest, deps: DeliveryDeps, now: Date): Promise<DeliveryOutcome> {
  const channel = request.channel as Channel;
  // A throttled broadcast request that came early (SQS delays stop at 15 minutes) waits for its turn.
  if (request.notBefore && Date.parse(request.notBefore) > now.getTime() + 1000) {
    await deps.deferrer.defer(request, new Date(request.notBefore));
    return { status: 'deferred', reason: 'throttled: not yet due' };
  }
  // 1. Dedupe: the row is claimed before anything else, so a redelivered request stops here.
  const claim = await deps.messages.claim(request, now);
  if (!claim.claimed) return { status: 'duplicate' };
  const retry = claim.previous?.status === 'retrying' && claim.previous.capsCounted === true;
  // The first outcome of the request (nothing tried yet) also counts it as requested.
  const firstOutcome = !claim.previous?.attempts?.length;
  const record = async (status: MessageStatus, extra: Omit<MessageLogUpdate, 'status'> = {}) => {
    const entry = await deps.messages.record(request.userKey, request.idempotencyKey, { status, channel: request.channel, ...extra }, now);
    const counts = outcomeCounts(status, extra.reason, firstOutcome);
    if (counts) await deps.metrics.add(entry, dayOf(now), counts);
    return { status, reason: extra.reason };
  };
  /**
   * This channel cannot deliver to this customer (no address, no consent, dead tokens, a definite refusal):
   * the next channel of the chain gets the request under the same key, so the chain sends at most once.
   */
  const refuse = async (status: 'skipped' | 'failed', reason: string): Promise<DeliveryOutcome> => {
    const [next, ...rest] = request.fallback ?? [];
    if (!next) return record(status, { reason });
    const outcome = await record('fallback', { reason: `${status}: ${reason}`, nextChannel: next, capsCounted: false });
    try {
      await deps.deliveries.enqueue({ ...request, channel: next, fallback: rest });
    } catch (error) {
      await deps.messages.record(request.userKey, request.idempotencyKey, { status: 'retrying', reason: `fallback to ${next} failed: ${(error as Error).message}` }, now);
      throw error;
    }
    return outcome;
  };
  // A cancelled broadcast sends nothing more; the control group is recorded (for uplift) and never sent.
  if (request.broadcastId && (await deps.broadcasts.status(request.broadcastId)) === 'cancelled') {
    return record('cancelled', { reason: 'the broadcast was cancelled' });
  }
  if (request.holdout) return record('held-out', { reason: 'control group' });
  if (!SENDABLE.has(channel)) return refuse('skipped', `the ${channel} channel is not available yet`);

  // The template first: a Brand Message is an advertisement whatever the request says, and AlimTalk never is.
  const template = await deps.templates.get(request.template);
  // A template may carry parts for several channels: the fallback text of an SMS is its own part.
  if (!template?.[channel]) return refuse('failed', `template "${request.template}" has no ${channel} part`);
  const kakao = channel === 'kakao' ? contentFor(template, 'kakao', request.variant) : undefined;
  if (kakao?.kind === 'alimtalk' && request.category === 'marketing') {
    return refuse('failed', 'AlimTalk carries informational messages only; send marketing as a Brand Message');
  }
  const category = kakao?.kind === 'brand' ? 'marketing' : request.category;

  // 2. Consent and an address. The request may name an anonymous key that was merged since: follow it.
  const found = await findProfile(request.userKey, (k) => deps.profiles.get(k));
  const profile = found?.profile;
  const recipient = recipientOf(profile, channel);
  if ('skip' in recipient) return refuse('skipped', recipient.skip);
  const refusal = consentRefusal(profile!, channel, category);
  if (refusal) return refuse('skipped', refusal);

  // 3. Suppression: an address that hard-bounced or complained is never mailed again.
  if (recipient.kind === 'email' && (await deps.suppressions.isSuppressed(recipient.address))) {
    return refuse('skipped', 'suppressed address');
  }
  // A number that opted out by the free 080 line gets no more advertising, whoever's profile carries it.
  if ((recipient.kind === 'sms' || recipient.kind === 'kakao') && category === 'marketing' && (await deps.suppressions.isSuppressed(recipient.phone))) {
    return refuse('skipped', 'number opted out (080)');
  }

  // 4. Quiet hours: deferred to the morning, not dropped.
  const settings = await deps.settings.get();
  const zone = customerZone(profile, settings);
  const until =
    quietHoursDeferral(now, zone, settings, profile!, category) ?? (kakao?.kind === 'brand' ? brandMessageHoursDeferral(now, zone) : undefined);
  if (until) {
    // Recorded first, so the returning request finds a due deferral; if the hand-back fails, the row is
    // released for the queue's retry instead of being left claimed.
    const outcome = await record('deferred', { reason: kakao?.kind === 'brand' ? 'quiet hours or Kakao sending hours' : 'quiet hours', deferredUntil: until.toISOString() });
    try {
      await deps.deferrer.defer(request, until);
    } catch (error) {
      await deps.messages.record(request.userKey, request.idempotencyKey, { status: 'retrying', reason: `deferral failed: ${(error as Error).message}` }, now);
      throw error;
    }
    return outcome;
  }

  // 5. Frequency caps: one conditional ADD per window, all or none (once: a retry was counted already).
  const rules = kakao?.kind === 'brand' ? [...settings.caps, BRAND_MESSAGE_CAP] : settings.caps;
  const counters = retry ? [] : capCounters(rules, channel, category, now, zone);
  const capped = await deps.caps.consume(profile!.userKey, counters);
  if ('capped' in capped) {
    const rule = rules.find((r) => r.id === capped.capped);
    return record('capped', { reason: rule ? `${rule.id}: at most ${rule.limit} per ${rule.window}` : capped.capped });
  }

  // 6–7. Render, then mark advertisements as the law requires.
  const scope = renderScope(request, profile);
  const marketing = category === 'marketing';

  // 8. Send.
  try {
    if (recipient.kind === 'email') {
      const unsubscribeUrl = `${deps.unsubscribe.baseUrl}/v1/unsubscribe?token=${signUnsubscribeToken(
        { userKey: profile!.userKey, channel: 'email', messageId: request.idempotencyKey },
        deps.unsubscribe.secret,
      )}`;
      let email = await renderEmail(contentFor(template, 'email', request.variant), scope);
      if (marketing) email = markEmailAdvertisement(email, settings, { locale: profile!.locale, unsubscribeUrl });
      const providerMessageId = await deps.mailer.send({
        from: settings.email.from,
        to: recipient.address,
        replyTo: settings.email.replyTo,
        subject: email.subject,
        html: email.preheader ? `${preheaderHtml(email.preheader)}${email.html}` : email.html,
        text: email.text,
        headers: marketing
          ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
          : {},
        messageRef: messageRef(request),
      });
      return record('sent', { providerMessageId, sentAt: now.toISOString() });
    }

    if (recipient.kind === 'kakao') {
      const from = settings.sms.from;
      const channelId = settings.kakao.channelId;
      if (!channelId) return refuse('failed', 'no KakaoTalk channel is configured (settings.kakao.channelId)');
      if (!from || !settings.sms.senderNumbers.includes(from)) return refuse('failed', `sender number ${from ?? '(none)'} is not registered`);
      const marking = kakao!.kind === 'brand' ? brandMessageMarkingRefusal(kakao!, settings) : undefined;
      if (marking) return refuse('failed', marking);
      const rendered = await renderKakao(kakao!, scope);
      if ('refusal' in rendered) return refuse('failed', rendered.refusal);
      const providerMessageId = await deps.messaging.sendKakao({
        kind: kakao!.kind,
        to: recipient.phone,
        from,
        channelId,
        templateCode: kakao!.templateCode,
        variables: rendered.variables,
        text: rendered.text,
        brandType: kakao!.brandType,
        ...(kakao!.buttons.length > 0 ? { buttons: kakao!.buttons } : {}),
        messageRef: messageRef(request),
      });
      return record('sent', { providerMessageId, sentAt: now.toISOString() });
    }

    if (recipient.kind !== 'push') {
      // The sender number is checked before the provider is called: carriers refuse unregistered numbers.
      const from = settings.sms.from;
      if (!from || !settings.sms.senderNumbers.includes(from)) return refuse('failed', `sender number ${from ?? '(none)'} is not registered`);
      const content = contentFor(template, 'sms', request.variant);
      const rendered = await renderSms(content, scope);
      const text = marketing ? markSmsAdvertisement(rendered.text, settings) : rendered.text;
      const shape = smsShape(text, rendered.imageUrl !== undefined);
      if (shape.type !== 'MMS' && shape.bytes > LMS_MAX_BYTES) return refuse('failed', `the text is ${shape.bytes} bytes; an LMS carries at most ${LMS_MAX_BYTES}`);
      const providerMessageId = await deps.messaging.sendSms({
        from,
        to: recipient.phone,
        type: shape.type,
        text,
        ...(shape.type !== 'SMS' && rendered.title ? { title: fitTitle(rendered.title) } : {}),
        ...(rendered.imageUrl ? { imageUrl: rendered.imageUrl } : {}),
        messageRef: messageRef(request),
      });
      return record('sent', { providerMessageId, sentAt: now.toISOString() });
    }

    let push = await renderPush(contentFor(template, 'push', request.variant), scope);
    if (marketing) push = markPushAdvertisement(push, settings, profile!.locale);
    const sent: string[] = [];
    const dead: string[] = [];
    for (const token of recipient.tokens) {
      const result = await deps.push.send(token, { ...push, messageRef: messageRef(request) });
      if (result.status === 'sent') sent.push(result.id);
      else dead.push(token.token);
    }
    if (dead.length > 0) await forgetPushTokens(profile!, dead, deps.profiles, now);
    if (sent.length === 0) return refuse('failed', 'every push token was invalid (removed from the profile)');
    return record('sent', { providerMessageId: sent.join(','), sentAt: now.toISOString() });
  } catch (error) {
    if (error instanceof ProviderRejectedError) {
      return refuse('failed', `provider refused${error.code ? ` (${error.code})` : ''}: ${error.message}`);
    }
    // Throttling or a transient failure: free the row for the retry, then let the queue redeliver.
    await deps.messages.record(request.userKey, request.idempotencyKey, { status: 'retrying', reason: (error as Error).message, capsCounted: true }, now);
    throw error;
  }
}

/** The hidden first line most mail clients show after the subject. */
function preheaderHtml(preheader: string): string {
  const escaped = preheader.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div style="display:none;max-height:0;overflow:hidden">${escaped}</div>`;
}

/** Unregistered tokens are removed so they are never tried again (bounded retries on a concurrent write). */
async function forgetPushTokens(profile: Profile, tokens: string[], profiles: ProfileStore, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await profiles.get(profile.userKey);
    if (current?.kind !== 'profile') return;
    const next = structuredClone(current.profile);
    next.channels.push = next.channels.push.filter((t) => !tokens.includes(t.token));
    next.updatedAt = now.toISOString() > next.updatedAt ? now.toISOString() : next.updatedAt;
    if ((await profiles.write({ profile: next, expectedVersion: current.version, tombstones: [] })) === 'written') return;
  }
}
