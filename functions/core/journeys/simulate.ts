// Simulation: the real journey code run against in-memory ports and a virtual clock — nothing is sent.

import * as z from 'zod';
import type { InstanceStore, ReentryPolicy, StepScheduler } from './ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { knownUserKey, type UserKey } from '../events/userKey.js';
import { applyEvent } from '../profiles/applyEvents.js';
import {
  CONSENT_CHANNELS,
  newProfile,
  type ConsentChannel,
  type Profile,
  type StoredProfile,
} from '../profiles/profile.js';
import type { Condition } from '../segments/condition.js';
import { durationSchema, durationMs } from '../time/duration.js';
import type { JourneyDefinition } from './definition.js';
import type { DeliveryRequest, JourneyInstance, WakeUp } from './instance.js';
import { JourneyIndex } from './journeyIndex.js';
import { runCustomerEvents, runWakeUp } from './runJourneys.js';

export const simulationInputSchema = z
  .object({
    userId: z.string().min(1).max(255).default('simulated-customer'),
    /** Profile traits and computed attributes to start from, on top of the stored profile if any. */
    traits: z.record(z.string(), z.unknown()).optional(),
    timezone: z.string().optional(),
    /** Consent per channel to start from (`{ "push": true }`), as of `start`. */
    consent: z.partialRecord(z.enum(CONSENT_CHANNELS), z.boolean()).optional(),
    start: z.iso.datetime(),
    events: z
      .array(
        z.object({
          at: z.iso.datetime(),
          event: z.string().min(1),
          properties: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .max(1000),
    /** How long after the last event to keep the clock running (waits beyond it are reported as pending). */
    horizon: durationSchema.default('60d'),
    /** Send steps whose message the customer opens or clicks (to exercise outcome branches). */
    engagement: z.record(z.string(), z.enum(['delivered', 'opened', 'clicked'])).default({}),
  })
  .strict();

export type SimulationInput = z.input<typeof simulationInputSchema>;

export type SimulationReport = {
  entered: boolean;
  steps: { at: string; step: string; type: string }[];
  sends: { at: string; step: string; channel: string; template: string; category: string; variant?: string }[];
  status: JourneyInstance['status'] | 'not-entered';
  endReason?: string;
  pendingWakeUp?: string;
};

export async function simulateJourney(
  definition: JourneyDefinition,
  rawInput: SimulationInput,
  options: { storedProfile?: Profile; segments?: ReadonlyMap<string, Condition> } = {},
): Promise<SimulationReport> {
  const input = simulationInputSchema.parse(rawInput);
  const userKey = knownUserKey(input.userId);
  let now = new Date(input.start);
  let profile: Profile = structuredClone(options.storedProfile ?? newProfile(userKey, input.start));
  if (input.traits) profile.traits = { ...profile.traits, ...input.traits };
  if (input.timezone) profile.timezone = input.timezone;
  for (const [channel, granted] of Object.entries(input.consent ?? {})) {
    profile.consent[channel as ConsentChannel] = { granted, at: input.start };
  }

  const memory = new MemoryWorld();
  let profileVersion = 1;
  // The customer's profile, for conditions and update-profile steps.
  const profiles: ProfileStore = {
    get: async (): Promise<StoredProfile> => ({ kind: 'profile', profile, version: profileVersion }),
    getMany: async () => new Map(),
    write: async (w) => {
      profile = w.profile;
      profileVersion++;
      return 'written';
    },
    writeMany: async () => {
      throw new TypeError('a simulation writes one profile at a time');
    },
    delete: async () => undefined,
    scan: async () => 0,
    audiencePage: async () => ({ profiles: [] }),
    findByAddress: async () => [],
  };
  const index = new JourneyIndex(
    [
      {
        head: {
          id: definition.id,
          name: definition.name,
          status: 'active',
          latestVersion: 1,
          activeVersion: 1,
          updatedAt: input.start,
        },
        versions: new Map([[1, definition]]),
      },
    ],
    options.segments,
  );
  const deps = {
    instances: memory,
    scheduler: memory,
    profiles,
    deliveries: { enqueue: async (r: DeliveryRequest) => void memory.sends.push(r) },
    outcomes: {
      outcomesOf: async () =>
        Object.fromEntries(
          Object.entries(input.engagement).map(([step, level]) => [
            `${memory.instance?.instanceId}:${step}`,
            { delivered: true, opened: level !== 'delivered', clicked: level === 'clicked' },
          ]),
        ),
    },
  };

  const events = [...input.events].sort((a, b) => a.at.localeCompare(b.at));
  const end = Date.parse(events.at(-1)?.at ?? input.start) + durationMs(input.horizon);
  let position = 0n;
  for (;;) {
    const wakeUp = memory.nextWakeUp();
    const event = events[0];
    const wakeAt = wakeUp ? Date.parse(wakeUp.at) : Infinity;
    const eventAt = event ? Date.parse(event.at) : Infinity;
    if (Math.min(wakeAt, eventAt) > end || (wakeAt === Infinity && eventAt === Infinity)) break;
    if (wakeAt <= eventAt) {
      memory.scheduled.delete(memory.keyOf(wakeUp!));
      now = new Date(wakeAt);
      await runWakeUp(wakeUp!, index, deps, now);
      continue;
    }
    events.shift();
    now = new Date(eventAt);
    const stored: StoredEvent = {
      userKey,
      sk: `${event.at}#sim-${position}`,
      type: 'track',
      messageId: `sim-${position}`,
      userId: input.userId,
      event: event.event,
      properties: event.properties,
      timestamp: now.toISOString(),
      clientTimestamp: now.toISOString(),
      receivedAt: now.toISOString(),
      writeKeyId: 'simulation',
    };
    position++;
    const before = structuredClone(profile);
    applyEvent(profile, { event: stored, position: position.toString() });
    await runCustomerEvents({ profileKey: userKey, before, after: profile, events: [stored] }, index, deps, now);
  }

  const instance = memory.instance;
  if (!instance) return { entered: false, steps: [], sends: [], status: 'not-entered' };
  return {
    entered: true,
    steps: instance.history.map((h) => ({ at: h.at, step: h.step, type: definition.steps[h.step]?.type ?? 'unknown' })),
    sends: memory.sends.map((r) => ({
      at: r.requestedAt,
      step: r.stepId,
      channel: r.channel,
      template: r.template,
      category: r.category,
      ...(r.variant ? { variant: r.variant } : {}),
    })),
    status: instance.status,
    endReason: instance.endReason,
    pendingWakeUp: memory.nextWakeUp()?.at,
  };
}

/** In-memory instance store, scheduler and profile store for one simulated customer. */
class MemoryWorld implements InstanceStore, StepScheduler {
  readonly scheduled = new Map<string, WakeUp>();
  readonly sends: DeliveryRequest[] = [];
  private readonly instances = new Map<string, JourneyInstance>();
  private readonly enrollments = new Map<string, { active?: string; lastEnteredAt?: string }>();

  get instance(): JourneyInstance | undefined {
    return [...this.instances.values()].at(-1);
  }

  keyOf(w: Pick<WakeUp, 'instanceId' | 'token'>): string {
    return `${w.instanceId}#${w.token}`;
  }

  nextWakeUp(): WakeUp | undefined {
    return [...this.scheduled.values()].sort((a, b) => a.at.localeCompare(b.at))[0];
  }

  async enter(instance: JourneyInstance, policy: ReentryPolicy, now: Date): Promise<'entered' | 'exists' | 'refused'> {
    if (this.instances.has(instance.instanceId)) return 'exists';
    const enrollment = this.enrollments.get(instance.journeyId);
    const refused =
      (policy.policy === 'once' && enrollment !== undefined) ||
      enrollment?.active !== undefined ||
      (policy.policy === 'after' &&
        enrollment?.lastEnteredAt !== undefined &&
        Date.parse(enrollment.lastEnteredAt) > now.getTime() - policy.days * 86_400_000);
    if (refused) return 'refused';
    this.instances.set(instance.instanceId, structuredClone(instance));
    this.enrollments.set(instance.journeyId, { active: instance.instanceId, lastEnteredAt: now.toISOString() });
    return 'entered';
  }

  async get(_userKey: UserKey, _journeyId: string, instanceId: string): Promise<JourneyInstance | undefined> {
    const found = this.instances.get(instanceId);
    return found && structuredClone(found);
  }

  async save(instance: JourneyInstance): Promise<'saved' | 'conflict'> {
    this.instances.set(instance.instanceId, structuredClone(instance));
    const enrollment = this.enrollments.get(instance.journeyId);
    if (instance.status !== 'active' && enrollment?.active === instance.instanceId) delete enrollment.active;
    return 'saved';
  }

  async listActive(): Promise<JourneyInstance[]> {
    return [...this.instances.values()].filter((i) => i.status === 'active').map((i) => structuredClone(i));
  }

  async list(): Promise<JourneyInstance[]> {
    return [...this.instances.values()].map((i) => structuredClone(i));
  }

  async schedule(wakeUp: WakeUp): Promise<void> {
    this.scheduled.set(this.keyOf(wakeUp), wakeUp);
  }

  async cancel(wakeUp: WakeUp): Promise<void> {
    this.scheduled.delete(this.keyOf(wakeUp));
  }
}
