// The live journeys, indexed by event name so an event no journey cares about costs one Map lookup.

import { durationMs } from '../time/duration.js';
import type { StoredEvent } from '../events/storedEvent.js';
import type { Condition } from '../segments/condition.js';
import type { JourneyDefinition, JourneyHead } from './definition.js';

/** A journey that may have running instances: its head and every version that was ever activated. */
export type LiveJourney = { head: JourneyHead; versions: Map<number, JourneyDefinition> };

export class JourneyIndex {
  private readonly byId = new Map<string, LiveJourney>();
  private readonly triggers = new Map<string, LiveJourney[]>();
  /** Names of events that a running instance may react to: goals, exit events, awaited events. */
  private readonly followed = new Set<string>();
  readonly segmentTriggered: LiveJourney[] = [];

  /** Saved segments by id: conditions refer to them, so an edited segment applies at the next refresh. */
  constructor(
    journeys: LiveJourney[],
    private readonly segments: ReadonlyMap<string, Condition> = new Map(),
  ) {
    for (const journey of journeys) {
      this.byId.set(journey.head.id, journey);
      for (const definition of journey.versions.values()) {
        if (definition.goal) this.followed.add(definition.goal.event);
        for (const exit of definition.exitOn) this.followed.add(exit.event);
        for (const step of Object.values(definition.steps))
          if (step.type === 'wait-for-event') this.followed.add(step.event);
      }
      const active = this.activeDefinition(journey.head.id);
      if (!active) continue;
      if (active.trigger.kind === 'event') {
        const list = this.triggers.get(active.trigger.event) ?? [];
        list.push(journey);
        this.triggers.set(active.trigger.event, list);
      } else if (active.trigger.kind === 'segment') {
        this.segmentTriggered.push(journey);
      }
    }
  }

  /** Journeys whose active version an event of this name may trigger. */
  triggeredBy(event: StoredEvent): LiveJourney[] {
    return event.type === 'track' && event.event !== undefined ? (this.triggers.get(event.event) ?? []) : [];
  }

  /** Whether any running instance could react to the event; if not, instances are not even read. */
  follows(event: StoredEvent): boolean {
    return event.type === 'track' && event.event !== undefined && this.followed.has(event.event);
  }

  journey(id: string): LiveJourney | undefined {
    return this.byId.get(id);
  }

  definition(id: string, version: number): JourneyDefinition | undefined {
    return this.byId.get(id)?.versions.get(version);
  }

  /** The version new customers enter, when the journey accepts entries at all. */
  activeDefinition(id: string): JourneyDefinition | undefined {
    const journey = this.byId.get(id);
    if (journey?.head.status !== 'active' || journey.head.activeVersion === undefined) return undefined;
    return journey.versions.get(journey.head.activeVersion);
  }

  private goalRules?: ReturnType<JourneyIndex['computeGoals']>;

  /** Each live journey's goal as an attribution rule (event, window in days), for its messages' conversions. */
  goals(): ReturnType<JourneyIndex['computeGoals']> {
    // Once per index (the index lives as long as the container's journey cache), not once per stream batch.
    return (this.goalRules ??= this.computeGoals());
  }

  private computeGoals(): {
    events: ReadonlySet<string>;
    of: (journeyId: string) => { event: string; windowDays: number } | undefined;
    longestDays: number;
  } {
    const rules = new Map<string, { event: string; windowDays: number }>();
    for (const id of this.byId.keys()) {
      const goal = this.activeDefinition(id)?.goal;
      if (goal) rules.set(id, { event: goal.event, windowDays: durationMs(goal.window) / 86_400_000 });
    }
    return {
      events: new Set([...rules.values()].map((r) => r.event)),
      of: (journeyId) => rules.get(journeyId),
      longestDays: Math.max(0, ...[...rules.values()].map((r) => r.windowDays)),
    };
  }

  segment(id: string): Condition | undefined {
    return this.segments.get(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
