// What the admin API needs, named by core's ports: the AWS and local composition roots each build it.

import type { AnalyticsModelStore, ReportEngine } from '../../core/analytics/ports.js';
import type { BroadcastPages, BroadcastStore } from '../../core/broadcasts/ports.js';
import type { CredentialStore } from '../../core/credentials/ports.js';
import type {
  DeliveryQueue,
  FrequencyCaps,
  MessageLog,
  SettingsStore,
  SuppressionList,
  TemplateStore,
} from '../../core/delivery/ports.js';
import type { EventStore, IngestErrorLog } from '../../core/events/ports.js';
import type { InstanceStore, JourneyStore, MessageOutcomes, StepScheduler } from '../../core/journeys/ports.js';
import type { MessageMetrics } from '../../core/metrics/ports.js';
import type { ProfileStore, UserStateStore } from '../../core/profiles/ports.js';
import type { SegmentStore } from '../../core/segments/ports.js';
import type { Clock, RandomSource } from '../../core/system/ports.js';

export type AdminDeps = {
  clock: Clock;
  random: RandomSource;
  credentials: CredentialStore;
  ingestErrors: IngestErrorLog;
  events: EventStore;
  profiles: ProfileStore;
  userState: UserStateStore;
  journeys: JourneyStore;
  segments: SegmentStore;
  instances: InstanceStore;
  outcomes: MessageOutcomes;
  scheduler: StepScheduler;
  deliveries: DeliveryQueue;
  /** The container's cache of live journeys: a change made here is seen at once. */
  journeyIndex: { invalidate(): void };
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
};
