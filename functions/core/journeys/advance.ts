// The journey interpreter: pure functions of (definition, instance, input, now) returning the next
// instance and the effects the world must carry out (sends, wake-ups, profile updates).

import { createHash } from 'node:crypto';
import type { StoredEvent } from '../events/storedEvent.js';
import { evaluateCondition, type Condition } from '../segments/condition.js';
import { durationMs } from '../time/duration.js';
import { nextLocalTime } from '../time/localTime.js';
import type { EventMatch, JourneyDefinition, Step } from './definition.js';
import {
  HISTORY_LIMIT,
  type InstanceStatus,
  type JourneyEffect,
  type JourneyInstance,
  type MessageOutcome,
  type WakeUp,
} from './instance.js';

export type StepContext = {
  now: Date;
  /** The profile as conditions see it (traits, computed, consent, channels, …). */
  profile: Record<string, unknown>;
  timezone?: string;
  /** Outcome of each earlier send of this instance, by idempotency key. */
  outcomes?: Record<string, MessageOutcome>;
  /** Resolves `{ segment: id }` inside conditions. */
  segments?: (id: string) => Condition | undefined;
};

export type Transition = { instance: JourneyInstance; effects: JourneyEffect[] };

/** Journeys are acyclic, so this only guards against a definition that slipped past validation. */
const MAX_STEPS_PER_RUN = 200;
/** Used when a customer has no (valid) time zone: the workspace's market. */
export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

export function startInstance(
  definition: JourneyDefinition,
  version: number,
  input: { userKey: JourneyInstance['userKey']; instanceId: string; now: Date; trigger: JourneyInstance['trigger'] },
): JourneyInstance {
  const at = input.now.toISOString();
  return {
    userKey: input.userKey,
    journeyId: definition.id,
    version,
    instanceId: input.instanceId,
    status: 'active',
    step: definition.start,
    revision: 0,
    waits: 0,
    enteredAt: at,
    updatedAt: at,
    trigger: input.trigger,
    sends: {},
    history: [],
  };
}

/** Runs steps from the instance's current step until it waits or ends. */
export function advance(definition: JourneyDefinition, instance: JourneyInstance, ctx: StepContext): Transition {
  const draft = structuredClone(instance);
  const effects: JourneyEffect[] = [];
  const at = ctx.now.toISOString();
  draft.updatedAt = at;

  for (let n = 0; n < MAX_STEPS_PER_RUN && draft.status === 'active' && !draft.waiting; n++) {
    const step: Step | undefined = definition.steps[draft.step];
    if (!step) return end(draft, effects, 'exited', `missing step ${draft.step}`, ctx.now);
    record(draft, draft.step, at);
    switch (step.type) {
      case 'exit':
        return end(draft, effects, 'completed', 'reached exit', ctx.now);
      case 'send': {
        const idempotencyKey = `${draft.instanceId}:${draft.step}`;
        draft.sends[draft.step] = idempotencyKey;
        effects.push({
          kind: 'send',
          request: {
            idempotencyKey,
            channel: step.channel,
            ...(step.fallback.length > 0 ? { fallback: step.fallback } : {}),
            userKey: draft.userKey,
            userId: draft.userKey.startsWith('u:') ? draft.userKey.slice(2) : undefined,
            template: step.template,
            category: step.category,
            journeyId: draft.journeyId,
            journeyVersion: draft.version,
            stepId: draft.step,
            instanceId: draft.instanceId,
            variant: draft.variant,
            requestedAt: at,
            ...(draft.waits === 0 && draft.trigger.receivedAt ? { triggeredAt: draft.trigger.receivedAt } : {}),
            trigger: draft.trigger,
          },
        });
        draft.step = step.next;
        break;
      }
      case 'update-profile':
        effects.push({
          kind: 'update-profile',
          userKey: draft.userKey,
          update: { key: `${draft.instanceId}:${draft.step}`, set: step.set ?? {}, increment: step.increment ?? {} },
        });
        draft.step = step.next;
        break;
      case 'branch': {
        const taken = step.condition
          ? evaluateCondition(step.condition, ctx.profile, ctx.now, ctx.segments)
          : messageOutcome(draft, step.message!, ctx.outcomes);
        draft.step = taken ? step.then : step.else;
        break;
      }
      case 'split': {
        const choice = chooseVariant(draft, draft.step, step);
        if (choice === 'control') {
          draft.variant = 'control';
          // Held out on the message log (never sent), under the send the variants would have made first:
          // the control group's conversions are then counted like theirs — the baseline of the A/B report.
          const send = firstSend(definition, step.variants[0].next);
          if (send) {
            effects.push({
              kind: 'send',
              request: {
                idempotencyKey: `${draft.instanceId}:${draft.step}:control`,
                channel: send.step.channel,
                userKey: draft.userKey,
                userId: draft.userKey.startsWith('u:') ? draft.userKey.slice(2) : undefined,
                template: send.step.template,
                category: send.step.category,
                journeyId: draft.journeyId,
                journeyVersion: draft.version,
                stepId: send.id,
                instanceId: draft.instanceId,
                variant: 'control',
                requestedAt: at,
                trigger: draft.trigger,
                holdout: true,
              },
            });
          }
          return end(draft, effects, 'completed', 'control group', ctx.now);
        }
        draft.variant = choice.name;
        draft.step = choice.next;
        break;
      }
      case 'wait': {
        const until = step.duration
          ? new Date(ctx.now.getTime() + waitMs(step.duration, step.fallback, ctx.profile))
          : nextLocalTime(
              ctx.now,
              ctx.timezone ?? DEFAULT_TIME_ZONE,
              waitTime(step.until!, ctx.profile),
              step.until!.weekday,
            );
        wait(draft, effects, { kind: 'time', until: until.toISOString(), token: draft.waits + 1 });
        break;
      }
      case 'wait-for-event': {
        const until = new Date(ctx.now.getTime() + durationMs(step.timeout)).toISOString();
        wait(draft, effects, { kind: 'event', event: step.event, where: step.where, until, token: draft.waits + 1 });
        break;
      }
    }
  }
  return { instance: draft, effects };
}

/** The first send step on the path from `start` (following `next`, and `then` at branches). */
function firstSend(
  definition: JourneyDefinition,
  start: string,
): { id: string; step: Extract<Step, { type: 'send' }> } | undefined {
  let id: string | undefined = start;
  for (let hops = 0; id && hops < 50; hops++) {
    const step: Step | undefined = definition.steps[id];
    if (!step) return undefined;
    if (step.type === 'send') return { id, step };
    id =
      'next' in step
        ? step.next
        : step.type === 'branch'
          ? step.then
          : step.type === 'wait-for-event'
            ? step.onEvent
            : step.type === 'split'
              ? step.variants[0].next
              : undefined;
  }
  return undefined;
}

/** `purchase-cycle`: the customer's median days between orders (from the daily refresh), else the fallback (30 days). */
function waitMs(duration: string, fallback: string | undefined, profile: Record<string, unknown>): number {
  if (duration !== 'purchase-cycle') return durationMs(duration);
  const days = Number(profile.purchaseCycleDays);
  return Number.isFinite(days) && days > 0 ? Math.round(days * 86_400_000) : durationMs(fallback ?? '30d');
}

/** `best-hour`: the customer's best local hour (from the daily refresh), else the fallback time (10:00). */
function waitTime(until: { time: string; fallback?: string }, profile: Record<string, unknown>): string {
  if (until.time !== 'best-hour') return until.time;
  const hour = Number(profile.bestHour);
  return Number.isInteger(hour) && hour >= 0 && hour < 24
    ? `${String(hour).padStart(2, '0')}:00`
    : (until.fallback ?? '10:00');
}

/** A scheduled wake-up arrived: continue after the wait, unless it is stale or the instance ended. */
export function wake(
  definition: JourneyDefinition,
  instance: JourneyInstance,
  wakeUp: Pick<WakeUp, 'token'>,
  ctx: StepContext,
): Transition | undefined {
  const waiting = instance.waiting;
  if (instance.status !== 'active' || !waiting || waiting.token !== wakeUp.token) return undefined;
  if (ctx.now.getTime() < Date.parse(waiting.until)) return undefined; // early (SQS delay rounding): wait on
  const step = definition.steps[instance.step];
  const draft = structuredClone(instance);
  delete draft.waiting;
  if (step?.type === 'wait') draft.step = step.next;
  else if (step?.type === 'wait-for-event') draft.step = step.onTimeout;
  return advance(definition, draft, ctx);
}

/**
 * An event of the customer while the instance runs: the goal converts, an exit event exits, the awaited
 * event continues. Returns undefined when the event means nothing to this instance.
 */
export function onEvent(
  definition: JourneyDefinition,
  instance: JourneyInstance,
  event: StoredEvent,
  ctx: StepContext,
): Transition | undefined {
  if (instance.status !== 'active') return undefined;
  const goal = definition.goal;
  if (goal && matchesEvent(goal, event, ctx)) {
    const withinWindow = ctx.now.getTime() - Date.parse(instance.enteredAt) <= durationMs(goal.window);
    return end(
      structuredClone(instance),
      [],
      withinWindow ? 'converted' : 'exited',
      withinWindow ? `goal ${goal.event}` : `goal ${goal.event} after the window`,
      ctx.now,
    );
  }
  const exit = definition.exitOn.find((m) => matchesEvent(m, event, ctx));
  if (exit) return end(structuredClone(instance), [], 'exited', `exit on ${exit.event}`, ctx.now);

  const waiting = instance.waiting;
  const step = definition.steps[instance.step];
  if (waiting?.kind === 'event' && step?.type === 'wait-for-event' && matchesEvent(waiting, event, ctx)) {
    const draft = structuredClone(instance);
    const effects: JourneyEffect[] = [{ kind: 'cancel', wakeUp: wakeUpOf(draft, waiting) }];
    delete draft.waiting;
    draft.step = step.onEvent;
    draft.trigger = { ...draft.trigger, event: event.event, messageId: event.messageId, properties: event.properties };
    const next = advance(definition, draft, ctx);
    return { instance: next.instance, effects: [...effects, ...next.effects] };
  }
  return undefined;
}

/** Ends an instance from outside (archiving): its pending wake-up is cancelled. */
export function endInstance(instance: JourneyInstance, status: InstanceStatus, reason: string, now: Date): Transition {
  return end(structuredClone(instance), [], status, reason, now);
}

export function matchesEvent(
  match: Pick<EventMatch, 'event' | 'where'>,
  event: StoredEvent,
  ctx: Pick<StepContext, 'now' | 'segments'>,
): boolean {
  if (event.type !== 'track' || event.event !== match.event) return false;
  return (
    !match.where ||
    evaluateCondition(match.where, { properties: event.properties ?? {}, ...event.properties }, ctx.now, ctx.segments)
  );
}

/** Deterministic per customer and step, so a retry or a replay always lands in the same variant. */
export function chooseVariant(
  instance: Pick<JourneyInstance, 'journeyId' | 'userKey'>,
  stepId: string,
  step: Extract<Step, { type: 'split' }>,
): 'control' | { name: string; next: string } {
  const hash = createHash('sha256').update(`${instance.journeyId}\u0000${stepId}\u0000${instance.userKey}`).digest();
  const total = step.variants.reduce((s, v) => s + v.weight, 0) + (step.control?.weight ?? 0);
  let point = (hash.readUInt32BE(0) / 2 ** 32) * total;
  for (const variant of step.variants) {
    if (point < variant.weight) return { name: variant.name, next: variant.next };
    point -= variant.weight;
  }
  return step.control ? 'control' : { name: step.variants.at(-1)!.name, next: step.variants.at(-1)!.next };
}

export function wakeUpOf(instance: JourneyInstance, waiting: { until: string; token: number }): WakeUp {
  return {
    userKey: instance.userKey,
    journeyId: instance.journeyId,
    instanceId: instance.instanceId,
    token: waiting.token,
    at: waiting.until,
  };
}

function wait(
  draft: JourneyInstance,
  effects: JourneyEffect[],
  waiting: NonNullable<JourneyInstance['waiting']>,
): void {
  draft.waits = waiting.token;
  draft.waiting = waiting;
  effects.push({ kind: 'schedule', wakeUp: wakeUpOf(draft, waiting) });
}

function end(
  draft: JourneyInstance,
  effects: JourneyEffect[],
  status: InstanceStatus,
  reason: string,
  now: Date,
): Transition {
  // The deletion of the pending schedule is an optimisation; the wake-up re-reads the instance anyway.
  if (draft.waiting) effects.push({ kind: 'cancel', wakeUp: wakeUpOf(draft, draft.waiting) });
  delete draft.waiting;
  draft.status = status;
  draft.endReason = reason;
  draft.endedAt = now.toISOString();
  draft.updatedAt = draft.endedAt;
  return { instance: draft, effects };
}

function record(draft: JourneyInstance, step: string, at: string): void {
  draft.history.push({ step, at });
  if (draft.history.length > HISTORY_LIMIT) draft.history.splice(0, draft.history.length - HISTORY_LIMIT);
}

function messageOutcome(
  instance: JourneyInstance,
  message: { step: string; outcome: 'delivered' | 'opened' | 'clicked'; via?: string },
  outcomes: Record<string, MessageOutcome> | undefined,
): boolean {
  const key = instance.sends[message.step];
  const outcome = key === undefined ? undefined : outcomes?.[key];
  if (!outcome || (message.via !== undefined && outcome.via !== message.via)) return false;
  return outcome[message.outcome] === true;
}
