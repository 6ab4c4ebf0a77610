// The console's Home in one answer: every journey's and broadcast's message funnel summed over a period and
// the period before it, and what needs a marketer's attention (checklists that fail, sends that failed, dead letters).

import type { BroadcastStore } from '../broadcasts/ports.js';
import type { JourneyStore } from '../journeys/ports.js';
import { dayOf, type MetricRow } from './counters.js';
import { FUNNEL_DEFINITIONS, type FunnelLine, messageFunnel } from './messageReports.js';
import type { DeadLetterBacklog, DeadLetterCount, MessageMetrics } from './ports.js';

const DAY_MS = 86_400_000;

/** The funnel's counts and rates over everything sent, without the step, variant and template columns. */
export type OverviewTotals = Omit<FunnelLine, 'stepId' | 'variant' | 'template'> & { failed: number };

export type FailingChecklist = {
  broadcastId: string;
  name: string;
  at: string;
  failing: { id: string; summary: string }[];
};
export type FailedSends = { journeyId: string; name: string; failed: number };

export type Overview = {
  days: number;
  current: { from: string; to: string; totals: OverviewTotals };
  previous: { from: string; to: string; totals: OverviewTotals };
  attention: { failingChecklists: FailingChecklist[]; failedSends: FailedSends[]; deadLetters: DeadLetterCount[] };
  definitions: Record<string, string>;
};

export type OverviewDeps = {
  metrics: Pick<MessageMetrics, 'read'>;
  journeys: Pick<JourneyStore, 'list'>;
  broadcasts: Pick<BroadcastStore, 'list' | 'lastCheck'>;
  deadLetters: DeadLetterBacklog;
};

/** Rows of every owner collapsed into one funnel line, so the rates mean exactly what the message funnel's do. */
export function overviewTotals(rows: MetricRow[]): OverviewTotals {
  // An empty row keeps one line (all zeros, rates null) when nothing was sent.
  const collapsed = [...rows, { template: '', day: '', counts: {} }].map((row) => ({
    ...row,
    stepId: undefined,
    variant: undefined,
    template: '',
  }));
  const { stepId: _s, variant: _v, template: _t, ...totals } = messageFunnel(collapsed)[0];
  return { ...totals, failed: rows.reduce((sum, row) => sum + (row.counts.failed ?? 0), 0) };
}

/**
 * The last `days` days up to `today` (inclusive) against the `days` before them. Journeys and broadcasts are
 * read one by one: the counters are keyed by their owner, and a shop has tens of them, not thousands.
 */
export async function messageOverview(deps: OverviewDeps, today: string, days: number): Promise<Overview> {
  const end = Date.parse(today);
  const from = dayOf(new Date(end - (days - 1) * DAY_MS));
  const previousTo = dayOf(new Date(end - days * DAY_MS));
  const previousFrom = dayOf(new Date(end - (2 * days - 1) * DAY_MS));
  const [journeys, broadcasts, queues] = await Promise.all([
    deps.journeys.list(),
    deps.broadcasts.list(),
    deps.deadLetters.counts(),
  ]);
  // Fullest first; an empty queue needs nobody.
  const deadLetters = queues.filter((q) => q.messages > 0).sort((a, b) => b.messages - a.messages);
  const owners = [
    ...journeys.map((j) => ({ journeyId: j.id, name: j.name })),
    ...broadcasts.map((b) => ({
      journeyId: `broadcast:${b.definition.id}`,
      name: b.definition.name ?? b.definition.id,
    })),
  ];
  const rowsByOwner = await Promise.all(owners.map((o) => deps.metrics.read(o.journeyId, previousFrom, today)));
  const all = rowsByOwner.flat();
  const failedSends = owners
    .map((owner, i) => ({
      ...owner,
      failed: rowsByOwner[i].filter((r) => r.day >= from).reduce((sum, r) => sum + (r.counts.failed ?? 0), 0),
    }))
    .filter((o) => o.failed > 0);
  // Only a draft's checklist is worth attention: once sent (or cancelled) it can no longer be fixed.
  const drafts = broadcasts.filter((b) => b.status === 'draft');
  const checks = await Promise.all(drafts.map((b) => deps.broadcasts.lastCheck(b.definition.id)));
  const failingChecklists = drafts.flatMap((b, i) => {
    const check = checks[i];
    if (!check || check.passed) return [];
    const failing = check.items.filter((item) => !item.passed).map(({ id, summary }) => ({ id, summary }));
    return [{ broadcastId: b.definition.id, name: b.definition.name ?? b.definition.id, at: check.at, failing }];
  });
  return {
    days,
    current: { from, to: today, totals: overviewTotals(all.filter((r) => r.day >= from)) },
    previous: { from: previousFrom, to: previousTo, totals: overviewTotals(all.filter((r) => r.day <= previousTo)) },
    attention: { failingChecklists, failedSends, deadLetters },
    definitions: {
      ...FUNNEL_DEFINITIONS,
      failed: 'messages the provider refused or that could not be sent after retries',
      totals: 'every journey and broadcast, counted under the day each message was requested',
      failingChecklists: 'draft broadcasts whose last pre-send checklist failed',
      deadLetters:
        'messages that failed every retry and wait in a dead-letter queue (events, journey steps, sends, imports …) for a person to look at',
    },
  };
}
