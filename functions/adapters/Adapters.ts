// Every port by the name the handlers use: what the AWS and local composition roots build, a Lambda a part of.

import type { JourneyIndexCache } from './journeyIndexCache.js';
import type { AnalyticsModelStore, ReportEngine } from '../core/analytics/ports.js';
import type { BroadcastPages, BroadcastStore } from '../core/broadcasts/ports.js';
import type { CredentialStore } from '../core/credentials/ports.js';
import type { MiddlewareObj } from '@middy/core';
import type {
  BulkDeliveryQueue,
  DeliveryDeferrer,
  DeliveryMetrics,
  FrequencyCaps,
  MessageLog,
  SettingsStore,
  SuppressionList,
  TemplateStore,
} from '../core/delivery/ports.js';
import type { EventStore, IngestErrorLog } from '../core/events/ports.js';
import type {
  InstanceStore,
  JourneyStepMetrics,
  JourneyStore,
  MessageOutcomes,
  StepScheduler,
} from '../core/journeys/ports.js';
import type { DeadLetterBacklog, MessageMetrics } from '../core/metrics/ports.js';
import type {
  ConsentLedger,
  CustomerCopies,
  ErasureLog,
  ProfileStore,
  UserStateStore,
} from '../core/profiles/ports.js';
import type { CatalogStore, CouponStore } from '../core/offers/ports.js';
import type { ImportFiles, ImportJobStore } from '../core/imports/importJobs.js';
import type { SegmentStore } from '../core/segments/ports.js';
import type { AuditLog } from '../core/audit/ports.js';
import type { ApprovalStore } from '../core/approvals/ports.js';
import type { Clock, RandomSource } from '../core/system/ports.js';

/**
 * Operational metrics: CloudWatch embedded metric format in AWS, kept in memory locally. What an invocation
 * records is published by the middleware at its end (and on error), so nothing waits on CloudWatch.
 */
export type Telemetry = DeliveryMetrics &
  JourneyStepMetrics & {
    publishAfterEachInvocation(): MiddlewareObj;
  };

/**
 * Handler factories take a `Pick` of this: the narrow set they use, which is all their Lambda entry builds.
 * (The event archive is not here: only the Events stream's second consumer writes it, and it takes just that.)
 */
export type Adapters = {
  clock: Clock;
  random: RandomSource;
  events: EventStore;
  profiles: ProfileStore;
  credentials: CredentialStore;
  ingestErrors: IngestErrorLog;
  userState: UserStateStore;
  erasures: ErasureLog;
  /** The customer's copies outside the tables (archive, erased-customer list; locally the outbox too). */
  customerCopies: CustomerCopies;
  journeys: JourneyStore;
  segments: SegmentStore;
  instances: InstanceStore;
  outcomes: MessageOutcomes;
  scheduler: StepScheduler;
  deliveries: BulkDeliveryQueue;
  journeyIndex: Pick<JourneyIndexCache, 'get' | 'invalidate'>;
  deferrer: DeliveryDeferrer;
  messages: MessageLog;
  suppressions: SuppressionList;
  caps: FrequencyCaps;
  templates: TemplateStore;
  settings: SettingsStore;
  broadcasts: BroadcastStore;
  broadcastPages: BroadcastPages;
  metrics: MessageMetrics;
  reports: ReportEngine;
  analyticsModels: AnalyticsModelStore;
  coupons: CouponStore;
  telemetry: Telemetry;
  catalog: CatalogStore;
  /** Every consent change, append-only, and what erasure keeps of it. */
  consentLedger: ConsentLedger;
  /** Customer imports posted in chunks through the admin API, with each chunk's report. */
  imports: ImportJobStore;
  /** Where an uploaded import file waits to be read: an S3 bucket in AWS, a folder locally. */
  importFiles: ImportFiles;
  /** Every admin write, append-only, kept 400 days. */
  audit: AuditLog;
  /** Sends and activations waiting for a second person. */
  approvals: ApprovalStore;
  /** How many messages wait in each dead-letter queue (the console's Home). */
  deadLetters: DeadLetterBacklog;
};
