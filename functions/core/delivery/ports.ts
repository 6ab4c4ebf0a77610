// What delivering a message needs: queues, the message log, suppression, caps, templates, settings and the providers.

import type { UserKey } from '../events/userKey.js';
import type { DeliveryRequest } from './deliveryRequest.js';
import type { CapCounter } from './guards.js';
import type { Feedback, MessageLogEntry, MessageStatus } from './messageLog.js';
import type { RenderedPush } from './render.js';
import type { DeliverySettings } from './settings.js';
import type { Template } from './template.js';
import type { Channel } from './channel.js';
import type { OutcomeReason } from './outcomeReason.js';

export interface DeliveryQueue {
  enqueue(request: DeliveryRequest): Promise<void>;
}

/** The broadcast fan-out's way onto the channel queues. */
export interface BulkDeliveryQueue extends DeliveryQueue {
  /** Many requests, each due at its time; the adapter holds back what its queue cannot delay that long. */
  enqueueMany(items: { request: DeliveryRequest; at: Date }[]): Promise<void>;
}

export type MessageLogUpdate = {
  status: MessageStatus;
  reason?: string;
  providerMessageId?: string;
  deferredUntil?: string;
  sentAt?: string;
  /** The caps already counted this message: a retry after throttling must not count it again. */
  capsCounted?: boolean;
  /** The channel this outcome is for: final outcomes are appended to the row's attempts. */
  channel?: DeliveryRequest['channel'];
  nextChannel?: DeliveryRequest['channel'];
  /** Fingerprints of the push tokens this message reached: a retry after throttling skips those devices. */
  pushDeliveredTo?: string[];
  coupons?: Record<string, string>;
};

export interface MessageLog {
  /**
   * Takes the request for sending: succeeds once per idempotency key (and again only for a deferred
   * request that is due, or one released for a retry). Anything else is a redelivery to ignore.
   */
  claim(
    request: DeliveryRequest,
    now: Date,
  ): Promise<{ claimed: true; previous?: MessageLogEntry } | { claimed: false }>;
  /** Returns the row as it now is (the counters file the outcome under its journey, step and variant). */
  record(userKey: UserKey, idempotencyKey: string, update: MessageLogUpdate, now: Date): Promise<MessageLogEntry>;
  /** The customer's messages requested since `since` (conversion attribution). */
  since(userKey: UserKey, since: string): Promise<MessageLogEntry[]>;
  /** Marks a message converted, once: the row as it now is, or undefined if it had converted already. */
  convert(userKey: UserKey, idempotencyKey: string, at: string, revenue: number): Promise<MessageLogEntry | undefined>;
  feedback(
    userKey: UserKey,
    idempotencyKey: string,
    feedback: Feedback,
    at: string,
  ): Promise<MessageLogEntry | undefined>;
  get(userKey: UserKey, idempotencyKey: string): Promise<MessageLogEntry | undefined>;
  list(userKey: UserKey, limit: number): Promise<MessageLogEntry[]>;
}

export interface SuppressionList {
  isSuppressed(address: string): Promise<boolean>;
  /** The suppressed ones among many addresses (a broadcast's checklist). */
  suppressedAmong(addresses: string[]): Promise<Set<string>>;
  suppress(address: string, reason: string, at: string): Promise<void>;
}

export interface FrequencyCaps {
  /** Counts the message in every window at once, or in none: `capped` names the rule that is full. */
  consume(userKey: UserKey, counters: CapCounter[]): Promise<{ ok: true } | { capped: string }>;
  /** Without counting: for each customer whose window is already full, the rule (a broadcast's checklist). */
  full(candidates: { userKey: UserKey; counters: CapCounter[] }[]): Promise<Map<UserKey, string>>;
}

export interface TemplateStore {
  get(id: string): Promise<Template | undefined>;
  put(template: Template): Promise<void>;
  list(): Promise<Template[]>;
  delete(id: string): Promise<boolean>;
}

export interface SettingsStore {
  get(): Promise<DeliverySettings>;
  put(settings: DeliverySettings): Promise<void>;
}

export type OutgoingEmail = {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** Carried to the provider's feedback events so they find their message-log row. */
  messageRef: string;
};

export interface Mailer {
  /** Returns the provider's message id; throws ProviderThrottledError (retry) or ProviderRejectedError. */
  send(email: OutgoingEmail): Promise<string>;
}

export interface PushProvider {
  /** `invalid-token`: the token is dead and should be forgotten. */
  send(
    token: { token: string; platform: string },
    message: RenderedPush & { messageRef: string },
  ): Promise<{ status: 'sent'; id: string } | { status: 'invalid-token' }>;
}

/** Puts a delivery request back on its queue at a later time (quiet hours). */
export interface DeliveryDeferrer {
  defer(request: DeliveryRequest, until: Date): Promise<void>;
}

export type OutgoingSms = {
  from: string;
  to: string;
  type: 'SMS' | 'LMS' | 'MMS';
  text: string;
  title?: string;
  imageUrl?: string;
  messageRef: string;
};

export type OutgoingKakao = {
  kind: 'alimtalk' | 'brand';
  to: string;
  /** The registered sender number (providers require one even for KakaoTalk). */
  from: string;
  channelId: string;
  templateCode: string;
  /** `#{name}` → value: the provider fills the approved template with exactly these. */
  variables: Record<string, string>;
  /** The filled text, for the log and the outbox. */
  text: string;
  brandType: 'text' | 'image' | 'wide' | 'carousel';
  /** Brand Messages: I (channel friends), M or N (consented non-friends; refused unless the settings allow them). */
  target?: 'I' | 'M' | 'N';
  /** The approved template's buttons (web link, app link, bot keyword, message delivery, channel add). */
  buttons?: { name: string; type: 'WL' | 'AL' | 'BK' | 'MD' | 'DS'; linkMobile?: string; linkPc?: string }[];
  messageRef: string;
};

/** A Korean messaging provider (SOLAPI first): text messages and KakaoTalk. */
export interface MessagingProvider {
  /** Returns the provider's message id; throws ProviderThrottledError (retry) or ProviderRejectedError. */
  sendSms(message: OutgoingSms): Promise<string>;
  /** As sendSms. A recipient without KakaoTalk is a ProviderRejectedError (and the chain falls back). */
  sendKakao(message: OutgoingKakao): Promise<string>;
}

/** Why a provider call did not go out: refused for good, throttled (retried later), or failed otherwise (retried). */
export type ProviderErrorKind = 'rejected' | 'throttled' | 'failed';

/**
 * What operators watch: every outcome by channel (and a bounded reason), provider trouble, and how long a
 * trigger took to become a message. Fire and forget: a metric never changes what is sent.
 */
export interface DeliveryMetrics {
  outcome(channel: Channel, status: MessageStatus, reason: OutcomeReason | undefined): void;
  providerError(channel: Channel, kind: ProviderErrorKind): void;
  /** From the moment ingest received the triggering event to the provider's acceptance. */
  triggerToSend(channel: Channel, milliseconds: number): void;
  /** A claim left a coupon pool with fewer unused codes than its `alertBelow`. */
  couponPoolLow(poolId: string, remaining: number): void;
}
