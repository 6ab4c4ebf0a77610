// The journey use cases: customers' events (goals, exits, awaited events, triggers), wake-ups, "enter now".

import { createHash } from 'node:crypto';
import type { DeliveryQueue, SettingsStore } from '../delivery/ports.js';
import type { InstanceStore, MessageOutcomes, StepScheduler, WakeUpOutcome } from './ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import type { UserKey } from '../events/userKey.js';
import { applyProfileUpdate } from '../profiles/applyProfileUpdate.js';
import type { Profile } from '../profiles/profile.js';
import { findProfile } from '../profiles/updateProfiles.js';
import { evaluateCondition, type Condition } from '../segments/condition.js';
import { profileSubject } from '../segments/profileSubject.js';
import {
  advance,
  endInstance,
  matchesEvent,
  onEvent,
  startInstance,
  wake,
  type StepContext,
  type Transition,
} from './advance.js';
import type { JourneyDefinition } from './definition.js';
import type { JourneyEffect, JourneyInstance, WakeUp } from './instance.js';
import type { JourneyIndex, LiveJourney } from './journeyIndex.js';

export type JourneyDeps = {
  instances: InstanceStore;
  scheduler: StepScheduler;
  deliveries: DeliveryQueue;
  profiles: ProfileStore;
  outcomes: MessageOutcomes;
  /** The loyalty programme decides whether a points increment goes through the ledger; absent, it is off. */
  settings?: Pick<SettingsStore, 'get'>;
};

/** How long a wake-up of a paused journey is put off before it looks again. */
export const PAUSED_RECHECK_MS = 60 * 60 * 1000;
const MAX_SAVE_ATTEMPTS = 5;

export class InstanceConflictError extends Error {}

export type CustomerEvents = {
  /** The key of the live profile the events were applied to (after identity resolution). */
  profileKey: UserKey;
  before?: Profile;
  after: Profile;
  events: StoredEvent[];
};

export type JourneyActivity = { entered: string[]; advanced: number; sends: number };

/**
 * For one customer's new events: first what running instances make of them (goal, exit, awaited
 * event), then which journeys they trigger. Instances are read only if some journey follows one of the events.
 */
export async function runCustomerEvents(
  input: CustomerEvents,
  index: JourneyIndex,
  deps: JourneyDeps,
  now: Date,
): Promise<JourneyActivity> {
  const activity: JourneyActivity = { entered: [], advanced: 0, sends: 0 };
  const ctx = contextFor(input.after, now, index);

  if (input.events.some((e) => index.follows(e))) {
    // Instances started while the customer was anonymous live under the merged key: they must see the
    // purchase too, or a cart reminder could reach someone who bought after identifying.
    const keys = [input.profileKey, ...input.after.mergedKeys];
    const running = (await Promise.all(keys.map((k) => deps.instances.listActive(k)))).flat();
    for (const instance of running) {
      let current: JourneyInstance | undefined = instance;
      for (const event of input.events) {
        if (current?.status !== 'active') break;
        const definition = index.definition(current.journeyId, current.version);
        if (!definition) break;
        const target: JourneyInstance = current;
        current = await applyWithRetry(target, (latest) => onEvent(definition, latest, event, ctx), deps, activity);
      }
    }
  }

  for (const event of input.events) {
    for (const journey of index.triggeredBy(event)) {
      const definition = index.activeDefinition(journey.head.id)!;
      if (definition.trigger.kind !== 'event' || !matchesEvent(definition.trigger, event, ctx)) continue;
      const triggerKey = `event:${event.userKey}:${event.sk}`;
      const trigger = {
        event: event.event,
        messageId: event.messageId,
        receivedAt: event.receivedAt,
        properties: event.properties,
      };
      await enter(journey, definition, input.profileKey, triggerKey, trigger, ctx, deps, activity);
    }
  }

  for (const journey of index.segmentTriggered) {
    const definition = index.activeDefinition(journey.head.id)!;
    if (definition.trigger.kind !== 'segment') continue;
    const condition: Condition = definition.trigger.condition;
    const was =
      input.before !== undefined && evaluateCondition(condition, profileSubject(input.before), now, ctx.segments);
    if (was || !evaluateCondition(condition, ctx.profile, now, ctx.segments)) continue;
    const triggerKey = `segment:${input.after.updatedAt}:${input.events.at(-1)?.sk ?? ''}`;
    await enter(journey, definition, input.profileKey, triggerKey, {}, ctx, deps, activity);
  }
  return activity;
}

/** `POST /admin/v1/journeys/{id}/enter`: the same entry rules, keyed by the request so a retry is harmless. */
export async function enterNow(
  journey: LiveJourney,
  definition: JourneyDefinition,
  userKey: UserKey,
  requestId: string,
  index: JourneyIndex,
  deps: JourneyDeps,
  now: Date,
): Promise<'entered' | 'not-eligible' | 'refused' | 'no-profile'> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  if (!found) return 'no-profile';
  const activity: JourneyActivity = { entered: [], advanced: 0, sends: 0 };
  const ctx = contextFor(found.profile, now, index);
  return enter(journey, definition, found.profile.userKey, `manual:${requestId}`, {}, ctx, deps, activity);
}

/** A wake-up from the scheduler (or an SQS delay) for one instance. */
export async function runWakeUp(
  wakeUp: WakeUp,
  index: JourneyIndex,
  deps: JourneyDeps,
  now: Date,
): Promise<WakeUpOutcome> {
  const instance = await deps.instances.get(wakeUp.userKey, wakeUp.journeyId, wakeUp.instanceId);
  if (instance?.status !== 'active' || instance.waiting?.token !== wakeUp.token) return 'stale';
  const journey = index.journey(wakeUp.journeyId);
  const definition = index.definition(wakeUp.journeyId, instance.version);
  if (!journey || !definition) {
    // Archived (or deleted): archiving ends the journey's instances, lazily, as they wake.
    await applyWithRetry(
      instance,
      (latest) => (latest.status === 'active' ? endInstance(latest, 'exited', 'journey archived', now) : undefined),
      deps,
      undefined,
    );
    return 'ended';
  }
  if (now.getTime() < Date.parse(instance.waiting.until)) {
    // Woken early (clock skew between services): ask again at the due time instead of dropping the wait.
    await deps.scheduler.schedule({ ...wakeUp, at: instance.waiting.until });
    return 'held';
  }
  if (journey.head.status === 'paused') {
    await deps.scheduler.schedule({ ...wakeUp, at: new Date(now.getTime() + PAUSED_RECHECK_MS).toISOString() });
    return 'held';
  }
  const found = await findProfile(instance.userKey, (k) => deps.profiles.get(k));
  const ctx = contextFor(found?.profile, now, index);
  ctx.outcomes = await deps.outcomes.outcomesOf(instance.userKey, Object.values(instance.sends));
  const result = await applyWithRetry(instance, (latest) => wake(definition, latest, wakeUp, ctx), deps, undefined);
  return result && result.revision > instance.revision ? 'advanced' : 'stale';
}

async function enter(
  journey: LiveJourney,
  definition: JourneyDefinition,
  userKey: UserKey,
  triggerKey: string,
  trigger: JourneyInstance['trigger'],
  ctx: StepContext,
  deps: JourneyDeps,
  activity: JourneyActivity,
): Promise<'entered' | 'not-eligible' | 'refused'> {
  if (definition.entry && !evaluateCondition(definition.entry, ctx.profile, ctx.now, ctx.segments))
    return 'not-eligible';
  const version = journey.head.activeVersion!;
  // Deterministic from the trigger: a stream retry or a duplicate delivery finds the same instance.
  const instanceId = createHash('sha256')
    .update(`${definition.id}\u0000${triggerKey}`)
    .digest('base64url')
    .slice(0, 22);
  const instance = startInstance(definition, version, { userKey, instanceId, now: ctx.now, trigger });
  const outcome = await deps.instances.enter(instance, definition.reentry, ctx.now);
  if (outcome === 'refused') return 'refused';
  if (outcome === 'exists') {
    // Entered before but perhaps never advanced (the process died in between): finish what was started.
    const existing = await deps.instances.get(userKey, definition.id, instanceId);
    if (!existing || existing.revision > 0) return 'refused';
    await applyWithRetry(
      existing,
      (latest) => (latest.revision === 0 ? advance(definition, latest, ctx) : undefined),
      deps,
      activity,
    );
    return 'entered';
  }
  activity.entered.push(definition.id);
  await applyWithRetry(
    instance,
    (latest) => (latest.revision === 0 ? advance(definition, latest, ctx) : undefined),
    deps,
    activity,
  );
  return 'entered';
}

/**
 * Computes a transition on the latest stored instance, carries out its effects, then saves the instance.
 * Effects go first: if the save is lost, the retry repeats them, and every effect is idempotent (sends are
 * deduplicated by their key at the sender, schedules by their name, profile updates are not repeated
 * because the retried transition starts from the stored instance that has not moved).
 */
async function applyWithRetry(
  instance: JourneyInstance,
  transition: (latest: JourneyInstance) => Transition | undefined,
  deps: JourneyDeps,
  activity: JourneyActivity | undefined,
): Promise<JourneyInstance | undefined> {
  let latest: JourneyInstance | undefined = instance;
  for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS && latest; attempt++) {
    const result = transition(latest);
    if (!result) return latest;
    await carryOut(result.effects, deps, new Date(result.instance.updatedAt));
    const next = { ...result.instance, revision: latest.revision + 1 };
    if ((await deps.instances.save(next)) === 'saved') {
      if (activity) {
        activity.advanced++;
        activity.sends += result.effects.filter((e) => e.kind === 'send').length;
      }
      return next;
    }
    latest = await deps.instances.get(instance.userKey, instance.journeyId, instance.instanceId);
  }
  if (!latest) return undefined;
  throw new InstanceConflictError(`journey instance ${instance.journeyId}/${instance.instanceId} kept changing`);
}

async function carryOut(effects: JourneyEffect[], deps: JourneyDeps, now: Date): Promise<void> {
  for (const effect of effects) {
    switch (effect.kind) {
      case 'send':
        await deps.deliveries.enqueue(effect.request);
        break;
      case 'schedule':
        await deps.scheduler.schedule(effect.wakeUp);
        break;
      case 'cancel':
        await deps.scheduler.cancel(effect.wakeUp);
        break;
      case 'update-profile':
        await updateProfileTraits(effect.userKey, effect.update, deps, now);
        break;
    }
  }
}

async function updateProfileTraits(
  userKey: UserKey,
  update: Extract<JourneyEffect, { kind: 'update-profile' }>['update'],
  deps: Pick<JourneyDeps, 'profiles' | 'settings'>,
  now: Date,
): Promise<void> {
  const { profiles } = deps;
  const loyalty = (await deps.settings?.get())?.loyalty;
  for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt++) {
    const found = await findProfile(userKey, (k) => profiles.get(k));
    if (!found) return;
    const profile = applyProfileUpdate(found.profile, update, now.toISOString(), loyalty);
    if (profile === found.profile) return; // this update was applied before
    if ((await profiles.write({ profile, expectedVersion: found.version, tombstones: [] })) === 'written') return;
  }
  throw new InstanceConflictError(`profile ${userKey} kept changing while a journey updated it`);
}

function contextFor(profile: Profile | undefined, now: Date, index: JourneyIndex): StepContext {
  return { now, profile: profileSubject(profile), timezone: profile?.timezone, segments: (id) => index.segment(id) };
}
