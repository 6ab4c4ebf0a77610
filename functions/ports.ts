// The interfaces core needs from the world; adapters in adapters/aws and adapters/local implement them.

import type { StoredEvent } from './core/events/storedEvent.js';
import type { UserKey } from './core/events/userKey.js';
import type { Profile, ProfileTombstone, StoredProfile } from './core/profiles/profile.js';
import type { Credential, CredentialKind } from './core/credentials/credential.js';
import type { IngestError } from './core/events/ingestError.js';
import type { JourneyDefinition, JourneyHead, JourneyStatus, JourneyVersion } from './core/journeys/definition.js';
import type { DeliveryRequest, JourneyInstance, MessageOutcome, WakeUp } from './core/journeys/instance.js';
import type { LiveJourney } from './core/journeys/journeyIndex.js';
import type { Segment } from './core/segments/segment.js';
import type { Feedback, MessageLogEntry, MessageStatus } from './core/delivery/messageLog.js';
import type { CapCounter } from './core/delivery/guards.js';
import type { Template } from './core/delivery/template.js';
import type { DeliverySettings } from './core/delivery/settings.js';
import type { RenderedPush } from './core/delivery/render.js';
import type { Broadcast, BroadcastStatus, Checklist } from './core/broadcasts/broadcast.js';
import type { BroadcastPage } from './core/broadcasts/fanOut.js';
import type { Counts, MetricDimensions, MetricRow } from './core/metrics/counters.js';
import type { ArchiveRecord } from './core/analytics/archiveRecord.js';
import type { SqlDialect } from './core/analytics/dialect.js';
import type { AnalyticsModel } from './core/analytics/refreshCustomers.js';

export interface Clock {
  now(): Date;
}

/** Random, unguessable strings: secrets for keys and ids for messages that came without one. */
export interface RandomSource {
  secret(bytes: number): string;
  id(): string;
}

export interface EventStore {
  /** Stores every event or throws StoreUnavailableError; a retry of the same events is harmless. */
  append(events: StoredEvent[]): Promise<void>;
  /** The newest events first across the given keys (a profile and the identities merged into it). */
  listRecent(userKeys: UserKey[], limit: number): Promise<StoredEvent[]>;
  /** Deletes every event of the key; returns how many. */
  deleteAll(userKey: UserKey): Promise<number>;
}

/** One write of a profile update: the profile, plus the tombstones of profiles merged into it. */
export type ProfileWrite = {
  profile: Profile;
  expectedVersion: number;
  tombstones: { tombstone: ProfileTombstone; expectedVersion: number }[];
};

export interface ProfileStore {
  get(userKey: UserKey): Promise<StoredProfile | undefined>;
  getMany(userKeys: UserKey[]): Promise<Map<UserKey, StoredProfile>>;
  /** Writes atomically if every item is still at its expected version; 'conflict' otherwise. */
  write(update: ProfileWrite): Promise<'written' | 'conflict'>;
  delete(userKeys: UserKey[]): Promise<void>;
  /** Visits every live profile (segment estimates; never on a per-event path). */
  scan(visit: (profile: Profile) => void): Promise<number>;
  /** One page of one parallel-scan segment (a broadcast's fan-out); `next` is absent on the last page. */
  scanPage(segment: number, totalSegments: number, limit: number | undefined, start?: Record<string, unknown>): Promise<{ profiles: Profile[]; next?: Record<string, unknown> }>;
}

export interface CredentialStore {
  findByHash(hash: string): Promise<Credential | undefined>;
  create(credential: Credential): Promise<void>;
  list(kind: CredentialKind): Promise<Credential[]>;
  /** Returns false when no credential of that kind has the id. */
  delete(kind: CredentialKind, id: string): Promise<boolean>;
}

export interface IngestErrorLog {
  record(errors: IngestError[]): Promise<void>;
  listRecent(limit: number): Promise<IngestError[]>;
}

/** Per-user state (journey instances, caps, message log): erased with the customer. */
export interface UserStateStore {
  deleteAll(userKey: UserKey): Promise<number>;
}

export interface JourneyStore {
  head(id: string): Promise<JourneyHead | undefined>;
  version(id: string, version: number): Promise<JourneyVersion | undefined>;
  versions(id: string): Promise<JourneyVersion[]>;
  /** Stores the definition as a new version (a new journey starts as a draft); returns the new head. */
  saveVersion(definition: JourneyDefinition, now: Date): Promise<JourneyHead>;
  /** Moves the journey to a status; activating pins `activeVersion`. */
  setStatus(id: string, status: JourneyStatus, now: Date, activeVersion?: number): Promise<JourneyHead>;
  list(): Promise<JourneyHead[]>;
  /** Journeys that may have running instances (active or paused), with every version ever activated. */
  live(): Promise<LiveJourney[]>;
}

export interface SegmentStore {
  get(id: string): Promise<Segment | undefined>;
  put(segment: Segment): Promise<void>;
  list(): Promise<Segment[]>;
  delete(id: string): Promise<boolean>;
}

export type ReentryPolicy = JourneyDefinition['reentry'];

export interface InstanceStore {
  /**
   * Creates the instance if the re-entry policy allows: 'exists' when this very instance (same trigger)
   * was created before, 'refused' when the policy says no.
   */
  enter(instance: JourneyInstance, policy: ReentryPolicy, now: Date): Promise<'entered' | 'exists' | 'refused'>;
  get(userKey: UserKey, journeyId: string, instanceId: string): Promise<JourneyInstance | undefined>;
  /** Stores the instance if nobody saved it since `instance.revision - 1`. */
  save(instance: JourneyInstance): Promise<'saved' | 'conflict'>;
  listActive(userKey: UserKey): Promise<JourneyInstance[]>;
  list(userKey: UserKey, journeyId?: string): Promise<JourneyInstance[]>;
}

export interface StepScheduler {
  schedule(wakeUp: WakeUp): Promise<void>;
  cancel(wakeUp: WakeUp): Promise<void>;
}

export interface DeliveryQueue {
  enqueue(request: DeliveryRequest): Promise<void>;
}

/** The broadcast fan-out's way onto the channel queues. */
export interface BulkDeliveryQueue extends DeliveryQueue {
  /** Many requests, each due at its time (at most 15 minutes ahead; later ones carry `notBefore`). */
  enqueueMany(items: { request: DeliveryRequest; at: Date }[]): Promise<void>;
}

export interface BroadcastStore {
  get(id: string): Promise<Broadcast | undefined>;
  /** 'exists' when a broadcast already has the id. */
  create(broadcast: Broadcast): Promise<'created' | 'exists'>;
  /** Stores the broadcast if its status is still one of `whenStatus`; false otherwise. */
  save(broadcast: Broadcast, whenStatus: BroadcastStatus[]): Promise<boolean>;
  list(): Promise<Broadcast[]>;
  /** Deletes a broadcast that is still a draft. */
  delete(id: string): Promise<'deleted' | 'not-found' | 'not-draft'>;
  status(id: string): Promise<BroadcastStatus | undefined>;
  /** Cancels a draft, or a broadcast still sending or with requests still queued; false if it was neither. */
  cancel(id: string, at: string): Promise<boolean>;
  saveCheck(id: string, checklist: Checklist): Promise<void>;
  lastCheck(id: string): Promise<Checklist | undefined>;
  pageDone(id: string, pageKey: string): Promise<boolean>;
  /**
   * Marks a fan-out page done and adds its counts, once ('already' for a repeated page); when it ended the
   * last chain, a broadcast still sending becomes enqueued.
   */
  commitPage(id: string, pageKey: string, counts: { enqueued: number; heldOut: number }, endsChain: boolean): Promise<'committed' | 'already'>;
}

/** The broadcast fan-out's own queue: a page of the audience, picked up at its time. */
export interface BroadcastPages {
  schedule(page: BroadcastPage, at: Date): Promise<void>;
}

export interface MessageOutcomes {
  outcomesOf(userKey: UserKey, idempotencyKeys: string[]): Promise<Record<string, MessageOutcome>>;
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
};

export interface MessageLog {
  /**
   * Takes the request for sending: succeeds once per idempotency key (and again only for a deferred
   * request that is due, or one released for a retry). Anything else is a redelivery to ignore.
   */
  claim(request: DeliveryRequest, now: Date): Promise<{ claimed: true; previous?: MessageLogEntry } | { claimed: false }>;
  /** Returns the row as it now is (the counters file the outcome under its journey, step and variant). */
  record(userKey: UserKey, idempotencyKey: string, update: MessageLogUpdate, now: Date): Promise<MessageLogEntry>;
  /** The customer's messages requested since `since` (conversion attribution). */
  since(userKey: UserKey, since: string): Promise<MessageLogEntry[]>;
  /** Marks a message converted, once: the row as it now is, or undefined if it had converted already. */
  convert(userKey: UserKey, idempotencyKey: string, at: string, revenue: number): Promise<MessageLogEntry | undefined>;
  feedback(userKey: UserKey, idempotencyKey: string, feedback: Feedback, at: string): Promise<MessageLogEntry | undefined>;
  get(userKey: UserKey, idempotencyKey: string): Promise<MessageLogEntry | undefined>;
  list(userKey: UserKey, limit: number): Promise<MessageLogEntry[]>;
}

/** Every accepted event, flattened, for SQL reports (NDJSON files locally, Firehose → S3 Parquet in AWS). */
export interface EventArchive {
  append(records: ArchiveRecord[]): Promise<void>;
}

/** Runs a report's SQL where the archive is (DuckDB locally, Athena in AWS). */
export interface ReportEngine {
  readonly dialect: SqlDialect;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

export interface AnalyticsModelStore {
  save(model: AnalyticsModel): Promise<void>;
  latest(): Promise<AnalyticsModel | undefined>;
}

/** The live counters (Metrics table): atomic adds, write-sharded; read back summed per row. */
export interface MessageMetrics {
  add(dimensions: MetricDimensions, day: string, counts: Counts): Promise<void>;
  /** Every row of a journey (or `broadcast:<id>`) between two days (inclusive, YYYY-MM-DD). */
  read(journeyId: string, fromDay: string, toDay: string): Promise<MetricRow[]>;
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
  send(token: { token: string; platform: string }, message: RenderedPush & { messageRef: string }): Promise<{ status: 'sent'; id: string } | { status: 'invalid-token' }>;
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
