// Amazon Pinpoint journey → Retain journey: each activity becomes the Retain step that does the same thing, as a
// draft, with a report of every activity (mapped, approximated or left out, and why), the templates and segments
// to recreate, and the settings that carry the journey's limits and quiet time.

import type { CapRule } from '../delivery/settings.js';
import type { Channel } from '../delivery/channel.js';
import type { JourneyDefinition, JourneyInput, Step } from '../journeys/definition.js';
import { successors, validateJourney } from '../journeys/validateJourney.js';
import type { Condition } from '../segments/condition.js';
import {
  parseGetJourneyOutput,
  type PinpointActivity,
  type PinpointJourney,
  type PinpointSimpleCondition,
} from './pinpointJourneySchema.js';

export type ActivityOutcome = 'mapped' | 'approximated' | 'left-out';

export type PinpointJourneyReport = {
  journey: { pinpointId?: string; name: string; retainId: string };
  activities: { id: string; kind: string; outcome: ActivityOutcome; steps: string[]; note?: string }[];
  /** Templates the send steps name: recreate them in Retain under these ids. */
  templates: { id: string; channel: Channel; pinpointName: string; pinpointVersion?: string }[];
  /** Pinpoint segments the journey refers to: recreate them in Retain under these ids. */
  segments: string[];
  /** Workspace settings that would carry the journey's limits and quiet time (Retain has them workspace-wide). */
  proposedSettings: { quietHours?: { enabled: true; start: string; end: string }; caps?: CapRule[] };
  notes: string[];
};

export type PinpointJourneyConversion = { definition: JourneyDefinition; report: PinpointJourneyReport };

/** Pinpoint's message events as a Retain branch on a send step's outcome. */
const MESSAGE_OUTCOMES: Record<string, 'delivered' | 'opened' | 'clicked'> = {
  '_email.delivered': 'delivered',
  '_email.open': 'opened',
  '_email.click': 'clicked',
  '_SMS.SUCCESS': 'delivered',
  '_push.delivered': 'delivered',
  '_campaign.opened_notification': 'opened',
};

const CHANNEL_OF = { EMAIL: 'email', PUSH: 'push', SMS: 'sms' } as const;

/** What a branch tests when its Pinpoint condition did not convert: no profile has it, so it is always false. */
export const PLACEHOLDER_ATTRIBUTE = 'pinpoint.conditionToRewrite';

export class PinpointJourneyError extends Error {}

/** Converts a `GetJourney` answer (or `aws pinpoint get-journey` output); throws naming the field it cannot read. */
export function convertPinpointJourney(input: unknown): PinpointJourneyConversion {
  const parsed = parseGetJourneyOutput(input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new PinpointJourneyError(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return new Conversion(parsed.data).run();
}

class Conversion {
  private readonly steps: Record<string, Step> = {};
  private readonly report: PinpointJourneyReport;
  private readonly stepIds = new Map<string, string>();
  /** Every Retain step id handed out, the helper steps (`-check`, `-2`) included, so none is given twice. */
  private readonly taken = new Set<string>(['end']);
  private readonly exitId = 'end';

  constructor(private readonly journey: PinpointJourney) {
    this.report = {
      journey: { pinpointId: journey.Id, name: journey.Name, retainId: journeyId(journey.Name, journey.Id) },
      activities: [],
      templates: [],
      segments: [],
      proposedSettings: {},
      notes: [],
    };
  }

  run(): PinpointJourneyConversion {
    const activities = this.journey.Activities;
    if (!activities[this.journey.StartActivity])
      throw new PinpointJourneyError(`StartActivity: no activity "${this.journey.StartActivity}" in Activities`);
    for (const [id, activity] of Object.entries(activities)) this.convert(id, activity);
    this.steps[this.exitId] = { type: 'exit' };

    const input: JourneyInput = {
      id: this.report.journey.retainId,
      name: this.journey.Name.slice(0, 200),
      description: `Imported from Amazon Pinpoint journey ${this.journey.Id ?? this.journey.Name}; a draft to review.`,
      trigger: this.trigger(),
      reentry: this.reentry(),
      start: this.target(this.journey.StartActivity),
      steps: this.steps,
    };
    this.limitsAndQuietTime();
    this.schedule();
    this.prune(input.start);
    const checked = validateJourney(input);
    if (!checked.ok) {
      // A bug of the converter, not of the input: every step it writes must be a valid Retain step.
      throw new Error(
        `converted journey is not valid: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
    }
    return { definition: checked.definition, report: this.report };
  }

  /** The Retain step an activity id leads to; a missing next activity is the journey's end. */
  private target(activityId: string | undefined, seen = new Set<string>()): string {
    if (!activityId || !this.journey.Activities[activityId] || seen.has(activityId)) return this.exitId;
    const activity = this.journey.Activities[activityId];
    // Activities left out are passed through, so what follows them still runs.
    const through = passThrough(activity);
    if (through !== null) return this.target(through, seen.add(activityId));
    return this.stepId(activityId);
  }

  private stepId(activityId: string): string {
    let id = this.stepIds.get(activityId);
    if (!id) {
      id = this.fresh(activityId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56) || 'step');
      this.stepIds.set(activityId, id);
    }
    return id;
  }

  /** A step id not yet handed out: `base`, else `base-2`, `base-3`… */
  private fresh(base: string): string {
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}-${n}`;
    this.taken.add(id);
    return id;
  }

  /**
   * The Retain template id for a Pinpoint template: its name as a slug (template ids are lower-case Latin), else
   * — a Korean name, say — one made from the activity and channel; two Pinpoint templates never share an id.
   */
  private template(name: string | undefined, channel: Channel, activityId: string, version?: string): string {
    const known = this.report.templates.find((t) => t.pinpointName === (name ?? '(none)') && t.channel === channel);
    if (known && name) return known.id;
    const base =
      slug(name ?? '')
        .slice(0, 56)
        .replace(/-+$/, '') || `${slug(activityId).slice(0, 48) || 'step'}-${channel}`;
    let id = base;
    for (let n = 2; this.report.templates.some((t) => t.id === id); n++) id = `${base}-${n}`;
    this.report.templates.push({
      id,
      channel,
      pinpointName: name ?? '(none)',
      ...(version ? { pinpointVersion: version } : {}),
    });
    return id;
  }

  private record(id: string, kind: string, outcome: ActivityOutcome, steps: string[], note?: string) {
    this.report.activities.push({ id, kind, outcome, steps, ...(note ? { note } : {}) });
  }

  private convert(id: string, a: PinpointActivity): void {
    for (const kind of ['EMAIL', 'PUSH', 'SMS'] as const) {
      const m = a[kind];
      if (!m) continue;
      const channel = CHANNEL_OF[kind];
      const template = this.template(m.TemplateName, channel, id, m.TemplateVersion);
      const transactional = kind === 'SMS' && m.MessageConfig?.MessageType === 'TRANSACTIONAL';
      this.steps[this.stepId(id)] = {
        type: 'send',
        channel,
        fallback: [],
        template,
        category: transactional ? 'transactional' : 'marketing',
        next: this.target(m.NextActivity),
      };
      this.record(
        id,
        kind,
        'mapped',
        [this.stepId(id)],
        transactional
          ? undefined
          : 'sent as marketing (ad marking, consent, caps and quiet hours apply); set "category" if it is transactional',
      );
      return;
    }
    if (a.Wait) {
      const { WaitFor, WaitUntil } = a.Wait.WaitTime ?? {};
      const duration = WaitFor ? isoDuration(WaitFor) : undefined;
      if (duration) {
        this.steps[this.stepId(id)] = { type: 'wait', duration, next: this.target(a.Wait.NextActivity) };
        this.record(id, 'Wait', 'mapped', [this.stepId(id)]);
      } else {
        // Retain waits are relative (or a local time of day); a fixed date has no equivalent, so it is skipped.
        this.steps[this.stepId(id)] = { type: 'wait', duration: '1m', next: this.target(a.Wait.NextActivity) };
        this.record(
          id,
          'Wait',
          'approximated',
          [this.stepId(id)],
          WaitUntil
            ? `waits until ${WaitUntil} in Pinpoint; Retain has no wait until a date, so this waits 1m — set a duration or a local time by hand`
            : `WaitFor "${WaitFor ?? ''}" is not an ISO 8601 duration; this waits 1m — set it by hand`,
        );
      }
      return;
    }
    if (a.Holdout) {
      const p = a.Holdout.Percentage;
      const next = this.target(a.Holdout.NextActivity);
      this.steps[this.stepId(id)] =
        p > 0 && p < 100
          ? { type: 'split', variants: [{ name: 'treatment', weight: 100 - p, next }], control: { weight: p } }
          : { type: 'wait', duration: '1s', next: p >= 100 ? this.exitId : next };
      this.record(
        id,
        'Holdout',
        'mapped',
        [this.stepId(id)],
        `${p}% held out as the control group (conversions kept as the baseline)`,
      );
      return;
    }
    if (a.RandomSplit) {
      const branches = a.RandomSplit.Branches.filter((b) => b.Percentage > 0);
      if (branches.length === 0)
        throw new PinpointJourneyError(`Activities.${id}.RandomSplit.Branches: no branch has a percentage`);
      this.steps[this.stepId(id)] = {
        type: 'split',
        variants: branches.map((b, i) => ({
          name: `branch-${i + 1}`,
          weight: b.Percentage,
          next: this.target(b.NextActivity),
        })),
      };
      this.record(
        id,
        'RandomSplit',
        'mapped',
        [this.stepId(id)],
        'each branch is an A/B variant, measured per variant',
      );
      return;
    }
    if (a.ConditionalSplit) {
      this.conditionalSplit(id, a.ConditionalSplit);
      return;
    }
    if (a.MultiCondition) {
      this.multiCondition(id, a.MultiCondition);
      return;
    }
    const kind = a.CUSTOM
      ? 'CUSTOM'
      : a.ContactCenter
        ? 'ContactCenter'
        : (Object.keys(a).find((k) => k !== 'Description') ?? 'unknown');
    this.record(
      id,
      kind,
      'left-out',
      [],
      kind === 'CUSTOM'
        ? 'a custom (Lambda or webhook) activity has no Retain step; the journey goes straight on to its next activity'
        : kind === 'ContactCenter'
          ? 'Amazon Connect outbound calls are not a Retain channel; the journey goes straight on to its next activity'
          : `"${kind}" is not a Pinpoint activity this converter knows; the journey goes straight on`,
    );
  }

  private conditionalSplit(id: string, split: NonNullable<PinpointActivity['ConditionalSplit']>) {
    const yes = this.target(split.TrueActivity);
    const no = this.target(split.FalseActivity);
    const wait = split.EvaluationWaitTime?.WaitFor ? isoDuration(split.EvaluationWaitTime.WaitFor) : undefined;
    const conditions = split.Condition.Conditions;
    const own = this.stepId(id);
    // One custom event within the evaluation wait: Retain's wait-for-event, which goes on as soon as it happens.
    const single = conditions.length === 1 ? conditions[0] : undefined;
    const event = single && customEvent(single);
    if (event && wait) {
      this.steps[own] = { type: 'wait-for-event', event, timeout: wait, onEvent: yes, onTimeout: no };
      this.record(
        id,
        'ConditionalSplit',
        'approximated',
        [own],
        `"${event}" within ${wait}: Retain goes on at the event, Pinpoint at the end of the wait`,
      );
      return;
    }
    // With an evaluation wait, the activity's own id is the wait (so whatever leads here waits first).
    const check = wait ? this.fresh(`${own}-check`) : own;
    if (wait) this.steps[own] = { type: 'wait', duration: wait, next: check };
    const outcome = this.branch(check, conditions, split.Condition.Operator ?? 'ALL', yes, no);
    const notes = [outcome.note, this.evaluationNote(split.EvaluationWaitTime)].filter(Boolean);
    this.record(
      id,
      'ConditionalSplit',
      outcome.kind === 'placeholder'
        ? 'left-out'
        : outcome.kind === 'approximate' || notes.length
          ? 'approximated'
          : 'mapped',
      wait ? [own, check] : [own],
      notes.join('; ') || undefined,
    );
  }

  /** Pinpoint may evaluate at a fixed date; Retain evaluates at once (or after a relative wait). */
  private evaluationNote(wait: { WaitFor?: string; WaitUntil?: string } | undefined): string | undefined {
    if (wait?.WaitUntil && !wait.WaitFor)
      return `Pinpoint evaluates at ${wait.WaitUntil}; Retain has no wait until a date, so this evaluates at once`;
    if (wait?.WaitFor && !isoDuration(wait.WaitFor))
      return `evaluation wait "${wait.WaitFor}" is not an ISO 8601 duration; this evaluates at once`;
    return undefined;
  }

  private multiCondition(id: string, split: NonNullable<PinpointActivity['MultiCondition']>) {
    const own = this.stepId(id);
    const wait = split.EvaluationWaitTime?.WaitFor ? isoDuration(split.EvaluationWaitTime.WaitFor) : undefined;
    const fallback = this.target(split.DefaultActivity);
    const ids = split.Branches.map((_, i) => (i === 0 && !wait ? own : this.fresh(`${own}-${i + 1}`)));
    if (wait) this.steps[own] = { type: 'wait', duration: wait, next: ids[0] ?? fallback };
    const notes: string[] = [];
    const evaluation = this.evaluationNote(split.EvaluationWaitTime);
    if (evaluation) notes.push(evaluation);
    for (const [i, b] of split.Branches.entries()) {
      const otherwise = i + 1 < ids.length ? ids[i + 1] : fallback;
      const { note } = this.branch(ids[i], [b.Condition], 'ALL', this.target(b.NextActivity), otherwise);
      if (note) notes.push(`branch ${i + 1}: ${note}`);
    }
    if (ids.length === 0 && !wait) this.steps[own] = { type: 'wait', duration: '1s', next: fallback };
    this.record(
      id,
      'MultiCondition',
      notes.length ? 'approximated' : 'mapped',
      [...(wait ? [own] : []), ...ids],
      ['branches tried in order, then the default', ...notes].join('; '),
    );
  }

  /**
   * Writes a branch step. A condition Retain cannot express becomes a placeholder nobody matches (an attribute no
   * profile has), so both paths stay in the draft — their messages are the work worth keeping — while everyone
   * takes the `no` path until the condition is written by hand.
   */
  private branch(
    stepId: string,
    conditions: PinpointSimpleCondition[],
    operator: 'ALL' | 'ANY',
    yes: string,
    no: string,
  ): { kind: 'faithful' | 'approximate' | 'placeholder'; note?: string } {
    const messageCondition = conditions.length === 1 ? this.messageOutcome(conditions[0]) : undefined;
    if (messageCondition) {
      this.steps[stepId] = { type: 'branch', message: messageCondition, then: yes, else: no };
      return { kind: 'faithful' };
    }
    const converted = conditions.map((c) => this.profileCondition(c));
    const missing = converted.indexOf(undefined);
    if (missing >= 0) {
      this.steps[stepId] = {
        type: 'branch',
        condition: { attribute: PLACEHOLDER_ATTRIBUTE, op: 'exists' },
        then: yes,
        else: no,
      };
      return {
        kind: 'placeholder',
        note: `condition ${missing + 1} (${describe(conditions[missing])}) has no Retain equivalent; step "${stepId}" tests "${PLACEHOLDER_ATTRIBUTE}", which no profile has, so everyone takes the "else" path — write the condition by hand`,
      };
    }
    const all = converted.map((c) => c!.condition);
    const condition = all.length === 1 ? all[0] : operator === 'ANY' ? { any: all } : { all };
    this.steps[stepId] = { type: 'branch', condition, then: yes, else: no };
    const approximations = converted.flatMap((c) => (c!.note ? [c!.note] : []));
    return approximations.length ? { kind: 'approximate', note: approximations.join('; ') } : { kind: 'faithful' };
  }

  private messageOutcome(c: PinpointSimpleCondition) {
    const activity = c.EventCondition?.MessageActivity;
    const types = c.EventCondition?.Dimensions?.EventType?.Values ?? [];
    const outcome = types.length === 1 ? MESSAGE_OUTCOMES[types[0]] : undefined;
    if (!activity || !outcome || !this.journey.Activities[activity]) return undefined;
    const sent = this.journey.Activities[activity];
    if (!sent.EMAIL && !sent.PUSH && !sent.SMS) return undefined;
    return { step: this.stepId(activity), outcome };
  }

  private profileCondition(c: PinpointSimpleCondition): { condition: Condition; note?: string } | undefined {
    if (c.SegmentCondition) {
      this.segment(c.SegmentCondition.SegmentId);
      return { condition: { segment: segmentId(c.SegmentCondition.SegmentId) } };
    }
    const dims = c.SegmentDimensions;
    if (dims) {
      const keys = Object.keys(dims).filter((k) => dims[k] !== undefined);
      if (keys.some((k) => k !== 'UserAttributes' && k !== 'Attributes')) return undefined;
      const parts = [
        ...Object.entries(dims.UserAttributes ?? {}).map(([name, d]) => attribute(`traits.${name}`, d)),
        ...Object.entries(dims.Attributes ?? {}).map(([name, d]) => attribute(`traits.${name}`, d)),
      ];
      if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
      return { condition: parts.length === 1 ? parts[0]! : { all: parts as Condition[] } };
    }
    // A custom event in the past: Retain's profile counts events by name, over the customer's whole history.
    const event = customEvent(c);
    if (event)
      return {
        condition: { attribute: `computed.eventCounts.${event}`, op: 'gte', value: 1 },
        note: `"${event}" ever happened (Pinpoint counts it since the journey began; Retain over the customer's history)`,
      };
    return undefined;
  }

  /**
   * Pinpoint keeps activities no path reaches (a journey half edited); Retain refuses unreachable steps, so they
   * are dropped and the report says which.
   */
  private prune(start: string) {
    const reached = new Set<string>();
    const visit = (id: string) => {
      if (reached.has(id) || !this.steps[id]) return;
      reached.add(id);
      for (const { to } of successors(this.steps[id])) visit(to);
    };
    visit(start);
    const dropped = Object.keys(this.steps).filter((id) => !reached.has(id));
    for (const id of dropped) delete this.steps[id];
    if (dropped.length === 0) return;
    for (const activity of this.report.activities) {
      if (activity.steps.length > 0 && activity.steps.every((s) => dropped.includes(s))) {
        activity.outcome = 'left-out';
        activity.steps = [];
        activity.note = 'no path from the start activity reaches it';
      }
    }
    const used = new Set(Object.values(this.steps).flatMap((s) => (s.type === 'send' ? [s.template] : [])));
    this.report.templates = this.report.templates.filter((t) => used.has(t.id));
    this.report.notes.push(`unreachable in Pinpoint, left out: ${dropped.join(', ')}`);
  }

  private schedule() {
    const { StartTime: from, EndTime: until } = this.journey.Schedule ?? {};
    if (from || until) {
      const window = [from && `from ${from}`, until && `until ${until}`].filter(Boolean).join(' ');
      this.report.notes.push(
        `Pinpoint runs this journey ${window}; a Retain journey runs from activation until paused — activate and pause it on those dates`,
      );
    }
    if (this.journey.RefreshFrequency)
      this.report.notes.push(
        `RefreshFrequency ${this.journey.RefreshFrequency}: Retain re-evaluates segments as profiles change, no refresh needed`,
      );
  }

  private segment(id: string) {
    const retainId = segmentId(id);
    if (!this.report.segments.includes(retainId)) this.report.segments.push(retainId);
  }

  private trigger(): JourneyInput['trigger'] {
    const start = this.journey.StartCondition;
    const filter = start?.EventStartCondition?.EventFilter;
    const events = filter?.Dimensions.EventType?.Values ?? [];
    if (events.length > 0 && filter?.Dimensions.EventType?.DimensionType !== 'EXCLUSIVE') {
      if (events.length > 1)
        this.report.notes.push(
          `Pinpoint starts on any of ${events.join(', ')}; Retain triggers on one event, "${events[0]}" — make a journey per event for the others`,
        );
      if (Object.keys(filter?.Dimensions.Metrics ?? {}).length > 0)
        this.report.notes.push(
          `the start condition's metric filters (${Object.keys(filter?.Dimensions.Metrics ?? {}).join(', ')}) were dropped: write them as a "where" on the event's properties`,
        );
      const where = Object.entries(filter?.Dimensions.Attributes ?? {}).map(([name, d]) => attribute(name, d));
      const conditions = where.filter((w): w is Condition => w !== undefined);
      if (conditions.length < where.length)
        this.report.notes.push(
          'some event attribute filters of the start condition have no Retain equivalent and were dropped',
        );
      return {
        kind: 'event',
        event: events[0],
        ...(conditions.length ? { where: conditions.length === 1 ? conditions[0] : { all: conditions } } : {}),
      };
    }
    const segment = start?.SegmentStartCondition?.SegmentId ?? start?.EventStartCondition?.SegmentId;
    if (segment) {
      this.segment(segment);
      this.report.notes.push(
        `Pinpoint enters the segment's endpoints; Retain enters customers as they come to match segment "${segmentId(segment)}" (recreate it), or use POST /admin/v1/journeys/{id}/enter for those already in it`,
      );
      return { kind: 'segment', condition: { segment: segmentId(segment) } };
    }
    this.report.notes.push('no start condition: the journey is entered by POST /admin/v1/journeys/{id}/enter');
    return { kind: 'manual' };
  }

  private reentry(): JourneyInput['reentry'] {
    const limits = this.journey.Limits;
    const interval = limits?.EndpointReentryInterval ? isoDuration(limits.EndpointReentryInterval) : undefined;
    const days = interval ? Math.max(1, Math.ceil(durationDays(interval))) : undefined;
    if (limits?.EndpointReentryCap === 1) return { policy: 'once' };
    if (days) return { policy: 'after', days };
    return { policy: 'one-at-a-time' };
  }

  private limitsAndQuietTime() {
    const { Limits: limits, QuietTime: quiet } = this.journey;
    if (quiet?.Start && quiet.End && /^\d{2}:\d{2}$/.test(quiet.Start) && /^\d{2}:\d{2}$/.test(quiet.End)) {
      this.report.proposedSettings.quietHours = { enabled: true, start: quiet.Start, end: quiet.End };
      this.report.notes.push(
        `QuietTime ${quiet.Start}–${quiet.End}: Retain keeps quiet hours for the whole workspace, in each customer's zone — proposed as settings.quietHours`,
      );
    }
    if (limits?.DailyCap) {
      this.report.proposedSettings.caps = [
        { id: 'pinpoint-daily', channel: 'any', window: 'day', limit: Math.min(1000, limits.DailyCap) },
      ];
      this.report.notes.push(
        `DailyCap ${limits.DailyCap}: Retain caps every journey and broadcast together, per customer and channel — proposed as a daily cap on all channels`,
      );
    }
    if (limits?.EndpointReentryCap && limits.EndpointReentryCap > 1)
      this.report.notes.push(
        `EndpointReentryCap ${limits.EndpointReentryCap}: Retain limits re-entry by policy (once, one at a time, after N days), not by count`,
      );
    if (limits?.TotalCap) this.report.notes.push(`TotalCap ${limits.TotalCap} has no Retain equivalent for journeys`);
    if (limits?.MessagesPerSecond)
      this.report.notes.push(
        `MessagesPerSecond ${limits.MessagesPerSecond}: Retain's senders pace each channel by its provider's limits`,
      );
    const timeframe = limits?.TimeframeCap;
    if (timeframe?.Cap) {
      const window = timeframe.Days === 1 ? 'day' : timeframe.Days === 7 ? 'week' : undefined;
      if (window) {
        this.report.proposedSettings.caps = [
          ...(this.report.proposedSettings.caps ?? []),
          { id: `pinpoint-${window}ly`, channel: 'any', window, limit: Math.min(1000, timeframe.Cap) },
        ];
      }
      this.report.notes.push(
        window
          ? `TimeframeCap ${timeframe.Cap} per ${timeframe.Days} day(s): proposed as a ${window}ly cap on all channels`
          : `TimeframeCap ${timeframe.Cap} per ${timeframe.Days ?? '?'} days: Retain caps by day or week — choose one in settings.caps`,
      );
    }
  }
}

/** An activity Retain skips (custom, contact center, unknown): the id of the activity after it, else null. */
function passThrough(a: PinpointActivity): string | null | undefined {
  if (a.EMAIL || a.PUSH || a.SMS || a.Wait || a.Holdout || a.RandomSplit || a.ConditionalSplit || a.MultiCondition)
    return null;
  return a.CUSTOM?.NextActivity ?? a.ContactCenter?.NextActivity ?? undefined;
}

function customEvent(c: PinpointSimpleCondition): string | undefined {
  const dims = c.EventCondition?.Dimensions;
  const types = dims?.EventType?.Values ?? [];
  if (c.EventCondition?.MessageActivity || types.length !== 1 || types[0].startsWith('_')) return undefined;
  if (dims?.EventType?.DimensionType === 'EXCLUSIVE') return undefined;
  return types[0];
}

function attribute(path: string, d: { AttributeType?: string; Values: string[] }): Condition | undefined {
  const type = d.AttributeType ?? 'INCLUSIVE';
  if (type === 'INCLUSIVE')
    return d.Values.length === 1
      ? { attribute: path, op: 'eq', value: d.Values[0] }
      : { attribute: path, op: 'in', value: d.Values };
  if (type === 'EXCLUSIVE') return { not: { attribute: path, op: 'in', value: d.Values } };
  if (type === 'CONTAINS' && d.Values.length === 1) return { attribute: path, op: 'contains', value: d.Values[0] };
  return undefined;
}

function describe(c: PinpointSimpleCondition): string {
  if (c.EventCondition) return `event ${(c.EventCondition.Dimensions?.EventType?.Values ?? []).join('/') || '?'}`;
  if (c.SegmentDimensions) return `segment dimensions ${Object.keys(c.SegmentDimensions).join(', ')}`;
  return Object.keys(c).join(', ') || 'empty';
}

/** ISO 8601 durations (`PT1H`, `P1D`, `P1DT12H`) as Retain writes them, in the largest whole unit. */
export function isoDuration(text: string): string | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  const seconds = (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
  if (seconds <= 0) return undefined;
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function durationDays(duration: string): number {
  const n = Number(duration.slice(0, -1));
  return { d: n, h: n / 24, m: n / 1440, s: n / 86_400 }[duration.slice(-1) as 'd' | 'h' | 'm' | 's'];
}

const slug = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

function journeyId(name: string, id?: string): string {
  const base = slug(name).slice(0, 56) || `pinpoint-${slug(id ?? 'journey').slice(0, 40)}`;
  return /^[a-z0-9]/.test(base) ? base : `j-${base}`.slice(0, 64);
}

const segmentId = (id: string) => `pinpoint-${slug(id)}`.slice(0, 64);
