// Amazon Pinpoint journey → Retain journey: each activity becomes the Retain step that does the same thing, as a
// draft, with a report of every activity (mapped, approximated or left out, and why), the templates and segments
// to recreate, and the settings that carry the journey's limits and quiet time.

import type { CapRule } from '../delivery/settings.js';
import type { Channel } from '../delivery/channel.js';
import type { JourneyDefinition, JourneyInput, Step } from '../journeys/definition.js';
import { validateJourney } from '../journeys/validateJourney.js';
import type { Condition } from '../segments/condition.js';
import {
  getJourneyOutputSchema,
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

export class PinpointJourneyError extends Error {}

/** Converts a `GetJourney` answer (or `aws pinpoint get-journey` output); throws naming the field it cannot read. */
export function convertPinpointJourney(input: unknown): PinpointJourneyConversion {
  const parsed = getJourneyOutputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PinpointJourneyError(`${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  return new Conversion(parsed.data).run();
}

class Conversion {
  private readonly steps: Record<string, Step> = {};
  private readonly report: PinpointJourneyReport;
  private readonly stepIds = new Map<string, string>();
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
  private target(activityId: string | undefined): string {
    if (!activityId || !this.journey.Activities[activityId]) return this.exitId;
    const activity = this.journey.Activities[activityId];
    // Activities left out are passed through, so what follows them still runs.
    const through = passThrough(activity);
    if (through !== null) return this.target(through);
    return this.stepId(activityId);
  }

  private stepId(activityId: string): string {
    let id = this.stepIds.get(activityId);
    if (!id) {
      const base = activityId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56) || 'step';
      id = base === this.exitId ? `${base}-1` : base;
      while ([...this.stepIds.values()].includes(id)) id = `${base}-${this.stepIds.size}`;
      this.stepIds.set(activityId, id);
    }
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
      const template = templateId(m.TemplateName ?? `${id}-${channel}`);
      if (!this.report.templates.some((t) => t.id === template && t.channel === channel)) {
        this.report.templates.push({
          id: template,
          channel,
          pinpointName: m.TemplateName ?? '(none)',
          ...(m.TemplateVersion ? { pinpointVersion: m.TemplateVersion } : {}),
        });
      }
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
    const check = wait ? `${own}-check` : own;
    if (wait) this.steps[own] = { type: 'wait', duration: wait, next: check };
    const note = this.branch(check, conditions, split.Condition.Operator ?? 'ALL', yes, no);
    this.record(id, 'ConditionalSplit', note ? 'left-out' : 'mapped', wait ? [own, check] : [own], note);
  }

  private multiCondition(id: string, split: NonNullable<PinpointActivity['MultiCondition']>) {
    const own = this.stepId(id);
    const wait = split.EvaluationWaitTime?.WaitFor ? isoDuration(split.EvaluationWaitTime.WaitFor) : undefined;
    const fallback = this.target(split.DefaultActivity);
    const ids = split.Branches.map((_, i) => (i === 0 && !wait ? own : `${own}-${i + 1}`));
    if (wait) this.steps[own] = { type: 'wait', duration: wait, next: ids[0] ?? fallback };
    const notes: string[] = [];
    for (const [i, b] of split.Branches.entries()) {
      const otherwise = i + 1 < ids.length ? ids[i + 1] : fallback;
      const note = this.branch(ids[i], [b.Condition], 'ALL', this.target(b.NextActivity), otherwise);
      if (note) notes.push(`branch ${i + 1}: ${note}`);
    }
    if (ids.length === 0 && !wait) this.steps[own] = { type: 'wait', duration: '1s', next: fallback };
    this.record(
      id,
      'MultiCondition',
      notes.length ? 'approximated' : 'mapped',
      [...(wait ? [own] : []), ...ids],
      notes.length ? notes.join('; ') : 'branches tried in order, then the default',
    );
  }

  /**
   * Writes a branch step. A condition Retain cannot express keeps the graph whole: everyone takes the `no` path,
   * and the answer is the note saying so (undefined when the branch is faithful).
   */
  private branch(
    stepId: string,
    conditions: PinpointSimpleCondition[],
    operator: 'ALL' | 'ANY',
    yes: string,
    no: string,
  ) {
    const messageCondition = conditions.length === 1 ? this.messageOutcome(conditions[0]) : undefined;
    if (messageCondition) {
      this.steps[stepId] = { type: 'branch', message: messageCondition, then: yes, else: no };
      return undefined;
    }
    const converted = conditions.map((c) => this.profileCondition(c));
    const missing = converted.indexOf(undefined);
    if (missing >= 0) {
      this.steps[stepId] = { type: 'wait', duration: '1s', next: no };
      return `condition ${missing + 1} (${describe(conditions[missing])}) has no Retain equivalent; everyone takes the path it would fail to — write it by hand`;
    }
    const all = converted as Condition[];
    const condition = all.length === 1 ? all[0] : operator === 'ANY' ? { any: all } : { all };
    this.steps[stepId] = { type: 'branch', condition, then: yes, else: no };
    return undefined;
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

  private profileCondition(c: PinpointSimpleCondition): Condition | undefined {
    if (c.SegmentCondition) {
      this.segment(c.SegmentCondition.SegmentId);
      return { segment: segmentId(c.SegmentCondition.SegmentId) };
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
      return parts.length === 1 ? parts[0] : { all: parts as Condition[] };
    }
    // A custom event in the past: Retain's profile counts events by name.
    const event = customEvent(c);
    if (event) return { attribute: `computed.eventCounts.${event}`, op: 'gte', value: 1 };
    return undefined;
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
        'Retain keeps quiet hours for the workspace in the customer’s zone: proposedSettings.quietHours carries this journey’s',
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
    if (limits?.TimeframeCap?.Cap)
      this.report.notes.push(
        `TimeframeCap ${limits.TimeframeCap.Cap} per ${limits.TimeframeCap.Days ?? '?'} days: use a weekly cap in settings.caps`,
      );
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

const templateId = (name: string) => slug(name).slice(0, 200) || 'template';
const segmentId = (id: string) => `pinpoint-${slug(id)}`.slice(0, 64);
