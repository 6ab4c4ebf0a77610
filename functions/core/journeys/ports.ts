// What running journeys needs: definitions, instances, wake-ups and the outcomes of their messages.

import type { UserKey } from '../events/userKey.js';
import type { JourneyDefinition, JourneyHead, JourneyStatus, JourneyVersion } from './definition.js';
import type { JourneyInstance, MessageOutcome, WakeUp } from './instance.js';
import type { LiveJourney } from './journeyIndex.js';

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

export interface MessageOutcomes {
  outcomesOf(userKey: UserKey, idempotencyKeys: string[]): Promise<Record<string, MessageOutcome>>;
}

/** What a journey-steps message came to: advanced, stale (the instance moved on), held (paused, early), ended. */
export type WakeUpOutcome = 'advanced' | 'stale' | 'held' | 'ended';

/** Operational metrics of the journey-step function. */
export interface JourneyStepMetrics {
  wakeUp(outcome: WakeUpOutcome): void;
}
