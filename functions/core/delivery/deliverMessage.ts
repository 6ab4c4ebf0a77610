// The sender use case: every gate in order — dedupe, consent, suppression, quiet hours, caps — then compose
// the message, hand it to the channel's provider, and record what happened. A refusal is an outcome, never
// an exception.

import { createHash } from 'node:crypto';
import type { BroadcastStore } from '../broadcasts/ports.js';
import type {
  DeliveryDeferrer,
  DeliveryMetrics,
  DeliveryQueue,
  FrequencyCaps,
  Mailer,
  MessageLog,
  MessageLogUpdate,
  MessagingProvider,
  PushProvider,
  SettingsStore,
  SuppressionList,
  TemplateStore,
} from './ports.js';
import type { MessageMetrics } from '../metrics/ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import { ProviderRejectedError, ProviderThrottledError } from '../errors.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import type { Profile } from '../profiles/profile.js';
import { findProfile } from '../profiles/updateProfiles.js';
import { capCounters, consentRefusal, customerZone, quietHoursDeferral, recipientOf } from './guards.js';
import { CHANNELS, type Channel } from './channel.js';
import type { MessageStatus } from './messageLog.js';
import type { RenderedPush } from './render.js';
import { alimTalkCategoryRefusal, BRAND_MESSAGE_CAP, brandMessageHoursDeferral } from './kakao.js';
import { composeMessage, sendComposed } from './composeMessage.js';
import type { CatalogProduct } from '../offers/catalog.js';
import type { CatalogStore, CouponStore } from '../offers/ports.js';
import { couponRefusal } from '../offers/coupon.js';
import { contentFor } from './template.js';
import { noticeMessage, type Notice } from './consentNotice.js';
import { unsubscribeUrl } from './unsubscribeLink.js';
import { messageRef } from './messageRef.js';
import { dayOf, outcomeCounts } from '../metrics/counters.js';
import { outcomeReason } from './outcomeReason.js';

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
  /** Operational metrics (outcomes, provider errors, latency) for alarms; the counters above are for marketers. */
  telemetry: DeliveryMetrics;
  /** `{% coupon %}` claims the customer's code for this message. */
  coupons: Pick<CouponStore, 'claim'>;
  /** The catalog the profile's recommendations are printed from. */
  catalog: Pick<CatalogStore, 'getMany'>;
};

export type DeliveryOutcome = { status: MessageStatus | 'duplicate'; reason?: string };

/** Channels this sender handles; a request for another is refused (and may fall back). */
const SENDABLE: ReadonlySet<string> = new Set<Channel>(CHANNELS);

export async function deliverMessage(
  request: DeliveryRequest,
  deps: DeliveryDeps,
  now: Date,
): Promise<DeliveryOutcome> {
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
    const entry = await deps.messages.record(
      request.userKey,
      request.idempotencyKey,
      { status, channel: request.channel, ...extra },
      now,
    );
    const counts = outcomeCounts(status, extra.reason, firstOutcome, Object.keys(extra.coupons ?? {}).length);
    if (counts) await deps.metrics.add(entry, dayOf(now), counts);
    // A fallback is this channel's refusal, observed as such by `refuse` before it hands the request on.
    if (status !== 'fallback') deps.telemetry.outcome(channel, status, outcomeReason(status, extra.reason));
    if (status === 'sent' && request.triggeredAt) {
      deps.telemetry.triggerToSend(channel, now.getTime() - Date.parse(request.triggeredAt));
    }
    return { status, reason: extra.reason };
  };
  /**
   * This channel cannot deliver to this customer (no address, no consent, dead tokens, a definite refusal):
   * the next channel of the chain gets the request under the same key, so the chain sends at most once.
   */
  const refuse = async (status: 'skipped' | 'failed', reason: string): Promise<DeliveryOutcome> => {
    const [next, ...rest] = request.fallback ?? [];
    if (!next) return record(status, { reason });
    deps.telemetry.outcome(channel, status, outcomeReason(status, reason));
    const outcome = await record('fallback', { reason: `${status}: ${reason}`, nextChannel: next, capsCounted: false });
    try {
      await deps.deliveries.enqueue({ ...request, channel: next, fallback: rest });
    } catch (error) {
      await deps.messages.record(
        request.userKey,
        request.idempotencyKey,
        { status: 'retrying', reason: `fallback to ${next} failed: ${(error as Error).message}` },
        now,
      );
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
  // A consent notice is worded by the settings, in the customer's language, and fills its own values.
  const notice = request.notice ? await consentNoticeMessage(request, request.notice, deps, now) : undefined;
  const template = notice ? notice.template : await deps.templates.get(request.template);
  // A template may carry parts for several channels: the fallback text of an SMS is its own part.
  if (!template?.[channel]) return refuse('failed', `template "${request.template}" has no ${channel} part`);
  const kakao = channel === 'kakao' ? contentFor(template, 'kakao', request.variant) : undefined;
  const notInformational = kakao ? alimTalkCategoryRefusal(kakao, request.category) : undefined;
  if (notInformational) return refuse('failed', notInformational);
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
  if (
    (recipient.kind === 'sms' || recipient.kind === 'kakao') &&
    category === 'marketing' &&
    (await deps.suppressions.isSuppressed(recipient.phone))
  ) {
    return refuse('skipped', 'number opted out (080)');
  }

  // 4. Quiet hours: deferred to the morning, not dropped.
  const settings = await deps.settings.get();
  const zone = customerZone(profile, settings);
  // Informational as it is, a consent notice still waits for the morning: nobody is woken to read it.
  const until =
    quietHoursDeferral(now, zone, settings, profile!, notice ? 'marketing' : category) ??
    (kakao?.kind === 'brand' ? brandMessageHoursDeferral(now, zone) : undefined);
  if (until) {
    // Recorded first, so the returning request finds a due deferral; if the hand-back fails, the row is
    // released for the queue's retry instead of being left claimed.
    const outcome = await record('deferred', {
      reason: kakao?.kind === 'brand' ? 'quiet hours or Kakao sending hours' : 'quiet hours',
      deferredUntil: until.toISOString(),
    });
    try {
      await deps.deferrer.defer(request, until);
    } catch (error) {
      await deps.messages.record(
        request.userKey,
        request.idempotencyKey,
        { status: 'retrying', reason: `deferral failed: ${(error as Error).message}` },
        now,
      );
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

  // 6. Compose: the exact message, compliance included, or why it cannot go out.
  const message = await composeMessage({
    template,
    channel,
    variant: request.variant,
    category,
    profile,
    settings,
    request: notice ? { ...request, trigger: { event: request.template, properties: notice.properties } } : request,
    unsubscribeUrl: unsubscribeUrl(deps.unsubscribe, { userKey: profile!.userKey, messageId: request.idempotencyKey }),
    claimCoupon: async (poolId) => {
      const claimed = await deps.coupons.claim(poolId, profile!.userKey, request.idempotencyKey, now);
      if (claimed.kind === 'issued' && claimed.lowOnCodes !== undefined)
        deps.telemetry.couponPoolLow(poolId, claimed.lowOnCodes);
      return claimed.kind === 'issued' ? { code: claimed.code } : { refusal: couponRefusal(poolId, claimed.kind) };
    },
    recommendations: await recommendedProducts(profile!, deps.catalog),
    at: now.toISOString(),
  });
  const [unsendable] = message.refusals;
  if (unsendable) return refuse('failed', unsendable.reason);
  // Which code went to whom, kept on the row before the provider call (a retry prints the same codes anyway).
  const coupons = Object.keys(message.coupons).length > 0 ? { coupons: message.coupons } : {};

  // 7. Send.
  try {
    if (message.channel === 'push' && recipient.kind === 'push') {
      return await sendPush(message.push, recipient.tokens);
    }
    if (message.channel === 'push' || recipient.kind === 'push')
      throw new TypeError('the push recipient and message disagree');
    const to = recipient.kind === 'email' ? recipient.address : recipient.phone;
    const providerMessageId = await sendComposed(message, to, messageRef(request), deps);
    return record('sent', { providerMessageId, sentAt: now.toISOString(), ...coupons });
  } catch (error) {
    deps.telemetry.providerError(channel, providerErrorKind(error));
    if (error instanceof ProviderRejectedError) return refuse('failed', providerRefusal(error));
    // Throttling or a transient failure: free the row for the retry, then let the queue redeliver.
    await deps.messages.record(
      request.userKey,
      request.idempotencyKey,
      { status: 'retrying', reason: (error as Error).message, capsCounted: true },
      now,
    );
    throw error;
  }

  /**
   * Token by token, each outcome kept: delivered to any device is `sent` (no fallback); a throttle frees the
   * row for a retry that sends only to the devices not yet reached; dead tokens are forgotten.
   */
  async function sendPush(push: RenderedPush, tokens: { token: string; platform: string }[]): Promise<DeliveryOutcome> {
    const earlier = new Set(claim.claimed ? (claim.previous?.pushDeliveredTo ?? []) : []);
    const delivered = [...earlier];
    const ids = claim.claimed && earlier.size > 0 ? (claim.previous?.providerMessageId?.split(',') ?? []) : [];
    const dead: string[] = [];
    const refused: string[] = [];
    let transient: Error | undefined;
    for (const token of tokens) {
      const fingerprint = pushTokenFingerprint(token.token);
      if (earlier.has(fingerprint)) continue;
      try {
        const result = await deps.push.send(token, { ...push, messageRef: messageRef(request) });
        if (result.status === 'sent') {
          ids.push(result.id);
          delivered.push(fingerprint);
        } else dead.push(token.token);
      } catch (error) {
        if (error instanceof ProviderRejectedError) {
          // Counted per token here; a transient error is counted once, where it is rethrown below.
          deps.telemetry.providerError(channel, 'rejected');
          refused.push(providerRefusal(error));
        } else {
          transient = error as Error;
          break;
        }
      }
    }
    if (dead.length > 0) await forgetPushTokens(profile!, dead, deps.profiles, now);
    if (transient) {
      await deps.messages.record(
        request.userKey,
        request.idempotencyKey,
        {
          status: 'retrying',
          reason: transient.message,
          capsCounted: true,
          pushDeliveredTo: delivered,
          providerMessageId: ids.join(',') || undefined,
        },
        now,
      );
      throw transient;
    }
    if (delivered.length > 0)
      return record('sent', {
        providerMessageId: ids.join(','),
        sentAt: now.toISOString(),
        pushDeliveredTo: delivered,
        ...coupons,
      });
    if (refused.length > 0) return refuse('failed', refused[0]);
    return refuse('failed', 'every push token was invalid (removed from the profile)');
  }
}

function providerErrorKind(error: unknown): 'rejected' | 'throttled' | 'failed' {
  if (error instanceof ProviderRejectedError) return 'rejected';
  return error instanceof ProviderThrottledError ? 'throttled' : 'failed';
}

async function consentNoticeMessage(request: DeliveryRequest, notice: Notice, deps: DeliveryDeps, now: Date) {
  const settings = await deps.settings.get();
  const found = await findProfile(request.userKey, (k) => deps.profiles.get(k));
  return noticeMessage(notice, settings, found?.profile ?? {}, customerZone(found?.profile, settings), now);
}

function providerRefusal(error: ProviderRejectedError): string {
  return `provider refused${error.code ? ` (${error.code})` : ''}: ${error.message}`;
}

/** How the message log remembers a device it reached without keeping the token itself. */
function pushTokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 16);
}

/** Unregistered tokens are removed so they are never tried again (bounded retries on a concurrent write). */
async function forgetPushTokens(profile: Profile, tokens: string[], profiles: ProfileStore, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await profiles.get(profile.userKey);
    if (current?.kind !== 'profile') return;
    const next = structuredClone(current.profile);
    next.channels.push = next.channels.push.filter((t) => !tokens.includes(t.token));
    next.updatedAt = now.toISOString() > next.updatedAt ? now.toISOString() : next.updatedAt;
    if ((await profiles.write({ profile: next, expectedVersion: current.version, tombstones: [] })) === 'written')
      return;
  }
}

/**
 * The profile's ranked ids joined with the catalog as it is now: a product sold out since the nightly refresh is
 * left out rather than offered.
 */
export async function recommendedProducts(
  profile: Pick<Profile, 'recommendations'>,
  catalog: Pick<CatalogStore, 'getMany'>,
): Promise<CatalogProduct[]> {
  const ids = profile.recommendations ?? [];
  if (ids.length === 0) return [];
  const byId = new Map((await catalog.getMany(ids)).map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const product = byId.get(id);
    return product?.inStock ? [product] : [];
  });
}
