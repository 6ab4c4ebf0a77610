// Which reports exist, the parameters each takes and how each runs: the live message reports over the
// Metrics counters, and the archive reports whose SQL lives in eventReports. Every report answers its
// numbers with what they mean, as JSON or as rows for a spreadsheet.

import * as z from 'zod';
import type { SettingsStore } from '../delivery/ports.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import { dayOf } from '../metrics/counters.js';
import { abTest, FUNNEL_DEFINITIONS, messageFunnel } from '../metrics/messageReports.js';
import type { MessageMetrics } from '../metrics/ports.js';
import {
  FUNNEL_DEFINITIONS as EVENT_FUNNEL_DEFINITIONS,
  churnSql,
  cohortParams,
  funnelParams,
  funnelShape,
  funnelSql,
  ltvHistoryShape,
  ltvHistorySql,
  orderParams,
  paretoShape,
  paretoSql,
  repurchaseShape,
  repurchaseSql,
  retentionShape,
  retentionSql,
  revenueTreeShape,
  revenueTreeSql,
  RFM_FALLBACK_SEGMENT,
  RFM_SEGMENTS,
  rfmShape,
  rfmSql,
} from './eventReports.js';
import type { ReportEngine } from './ports.js';

/** A report's answer both ways: the JSON body, and rows plus definitions for CSV. */
export type ReportOutput = {
  json: Record<string, unknown>;
  csv: { name: string; rows: Record<string, unknown>[]; definitions: Record<string, unknown> };
};
type Shaped = { rows: Record<string, unknown>[]; body: object; definitions: Record<string, string> };

const DAY_MS = 86_400_000;
/** Archive reports scan every event in their range: three years is as far back as a question sensibly goes. */
export const MAX_REPORT_DAYS = 3 * 366;

const archiveReport = <P extends z.ZodType>(
  params: P,
  run: (engine: ReportEngine, p: z.infer<P>) => Promise<Shaped>,
) => ({
  params,
  run,
});

/** The archive reports: their parameters, SQL and shape; GET takes simple query parameters, POST a JSON body. */
export const ARCHIVE_REPORTS = {
  funnel: archiveReport(funnelParams, async (engine, p) => {
    const current = funnelShape(await engine.query(funnelSql(engine.dialect, p)), p);
    const compared = p.compare
      ? funnelShape(await engine.query(funnelSql(engine.dialect, p, p.compare.from, p.compare.to)), p)
      : undefined;
    return {
      rows: current.flatMap((s) => s.steps.map((step) => ({ segment: s.segment, ...step }))),
      body: { segments: current, ...(compared ? { compare: { ...p.compare, segments: compared } } : {}) },
      definitions: { ...EVENT_FUNNEL_DEFINITIONS, window: `${p.windowDays} days from the first step` },
    };
  }),
  retention: archiveReport(cohortParams, async (engine, p) => {
    const shaped = retentionShape(
      await engine.query(retentionSql(engine.dialect, p)),
      await engine.query(churnSql(engine.dialect, p)),
    );
    return {
      rows: shaped.cohorts.flatMap((c) =>
        c.share.map((share, offset) => ({ cohort: c.cohort, size: c.size, offset, active: c.active[offset], share })),
      ),
      body: shaped,
      definitions: {
        cohort:
          p.cohort === 'first_order'
            ? `the ${p.period} of a customer's first ${p.orderEvent}`
            : `the ${p.period} a customer was first seen`,
        active:
          p.activity === 'order'
            ? `placed an order (${p.orderEvent}) in the ${p.period}`
            : `sent any event in the ${p.period}`,
        churnRate: `of the customers active in the previous ${p.period}, the share not active in this one`,
      },
    };
  }),
  repurchase: archiveReport(orderParams, async (engine, p) => {
    const shaped = repurchaseShape(await engine.query(repurchaseSql(engine.dialect, p)));
    return {
      rows: shaped.daysBetweenOrders,
      body: shaped,
      definitions: {
        repurchaseRate: `customers with two or more ${p.orderEvent} ÷ customers with one or more`,
        daysBetweenOrders: "days from each order to the customer's previous one",
      },
    };
  }),
  pareto: archiveReport(orderParams, async (engine, p) => {
    const shaped = paretoShape(await engine.query(paretoSql(engine.dialect, p)));
    return {
      rows: shaped.curve,
      body: shaped,
      definitions: {
        top20Share: 'share of revenue from the 20 % of buyers who spent most',
        curve: 'cumulative share of revenue by top percent of buyers',
      },
    };
  }),
  'revenue-tree': archiveReport(orderParams, async (engine, p) => {
    const periods = revenueTreeShape(await engine.query(revenueTreeSql(engine.dialect, p)));
    return {
      rows: periods,
      body: { periods },
      definitions: {
        tree: 'revenue = visitors × conversion × orders per buyer × average order value',
        visitors: 'customers with any event in the period',
        conversion: 'buyers ÷ visitors',
        firstOrders: "each customer's first order in the range",
      },
    };
  }),
  rfm: archiveReport(orderParams, async (engine, p) => {
    const shaped = rfmShape(await engine.query(rfmSql(engine.dialect, p)));
    return {
      rows: shaped.segments,
      // The map itself, in the order it is checked, so a chart can draw each segment's cells without a copy of it.
      body: { ...shaped, grid: RFM_SEGMENTS, gridFallback: RFM_FALLBACK_SEGMENT },
      definitions: {
        scores:
          `R, F and M are quintiles (5 best) of days since the last ${p.orderEvent} as of ${p.to}, ` +
          'number of orders and revenue in the range',
        segments: RFM_SEGMENTS.map((s) => `${s.name}: R ${s.r.join('–')}, mean of F and M ${s.fm.join('–')}`).join(
          '; ',
        ),
      },
    };
  }),
  'ltv-history': archiveReport(orderParams, async (engine, p) => {
    const cohorts = ltvHistoryShape(await engine.query(ltvHistorySql(engine.dialect, p)));
    return {
      rows: cohorts.map((c) => ({
        cohort: c.cohort,
        customers: c.customers,
        ...Object.fromEntries(c.cumulativeRevenuePerCustomer.map((v, i) => [`month${i}`, v])),
      })),
      body: { cohorts },
      definitions: {
        cohort: `the month of a customer's first ${p.orderEvent}`,
        cumulativeRevenuePerCustomer: 'revenue of the cohort up to each month since its first order ÷ its customers',
      },
    };
  }),
};
export type ArchiveReportName = keyof typeof ARCHIVE_REPORTS;
export const LIVE_REPORTS = ['message-funnel', 'ab-test'] as const;

const isArchiveReport = (name: string): name is ArchiveReportName => Object.hasOwn(ARCHIVE_REPORTS, name);
const allNames = () => [...LIVE_REPORTS, ...Object.keys(ARCHIVE_REPORTS)].join(', ');

/** Parses with zod; the first issue becomes an invalid request naming the field (`query.to`, `body.steps.0`). */
function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [where, ...issue.path].join('.');
  throw new InvalidRequestError(`${field}: ${issue.message}`, field);
}

const day = z.iso.date('expected a date (YYYY-MM-DD)');

/**
 * The report's days: `to` defaults to today and `from` to `defaultDays` before it. Both must be dates, in
 * order, and at most `maxDays` apart — checked here, before any date arithmetic can meet a malformed value.
 */
export function reportRange(
  input: { from?: unknown; to?: unknown },
  where: string,
  today: string,
  defaultDays: number,
  maxDays = MAX_REPORT_DAYS,
): { from: string; to: string } {
  const to = input.to === undefined ? today : parseInput(day, input.to, `${where}.to`);
  const from =
    input.from === undefined
      ? dayOf(new Date(Date.parse(to) - defaultDays * DAY_MS))
      : parseInput(day, input.from, `${where}.from`);
  if (from > to) throw new InvalidRequestError(`${where}.from: must not be after to`, `${where}.from`);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (days > maxDays) {
    throw new InvalidRequestError(`${where}.from: the range is ${days} days; at most ${maxDays}`, `${where}.from`);
  }
  return { from, to };
}

/** Query-string parameters as the report's JSON: numbers as numbers, `steps` as a comma-separated list. */
export function archiveInputFromQuery(query: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || k === 'format') continue;
    if (k === 'steps') out.steps = v.split(',').map((event) => ({ event: event.trim() }));
    else if (k === 'windowDays') out.windowDays = Number(v);
    else if (k === 'compareFrom' || k === 'compareTo') {
      out.compare = { ...(out.compare as object), [k === 'compareFrom' ? 'from' : 'to']: v };
    } else out[k] = v;
  }
  return out;
}

export type ReportDeps = {
  reports: ReportEngine;
  metrics: Pick<MessageMetrics, 'read'>;
  settings: Pick<SettingsStore, 'get'>;
};

/** An archive report from JSON input (`where` names it in refusals: `query` or `body`). */
export async function runArchiveReport(
  name: string,
  input: Record<string, unknown>,
  where: 'query' | 'body',
  deps: Pick<ReportDeps, 'reports'>,
  today: string,
): Promise<ReportOutput> {
  if (!isArchiveReport(name)) {
    throw new NotFoundError(
      `no archive report is called ${name}; there are ${Object.keys(ARCHIVE_REPORTS).join(', ')}`,
    );
  }
  const report = ARCHIVE_REPORTS[name];
  const { from, to } = reportRange(input, where, today, 364);
  const params = parseInput(report.params as z.ZodType, { ...input, from, to }, where);
  const run = report.run as (engine: ReportEngine, p: unknown) => Promise<Shaped>;
  const { rows, body, definitions } = await run(deps.reports, params);
  const allDefinitions = { ...definitions, range: `${from} to ${to}`, engine: deps.reports.dialect.name };
  return {
    json: { report: name, from, to, ...body, definitions: allDefinitions },
    csv: { name, rows, definitions: allDefinitions },
  };
}

const liveQuery = z
  .object({
    /** A journey's id, or `broadcast:<id>` (or `broadcast` + `broadcastId`). */
    journeyId: z.string().min(1).max(200).optional(),
    broadcastId: z.string().min(1).max(64).optional(),
    from: day.optional(),
    to: day.optional(),
    format: z.enum(['json', 'csv']).default('json'),
    /** The minimum detectable effect, relative (0.1 = 10 %). */
    mde: z.coerce.number().gt(0).max(10).default(0.1),
  })
  .refine((q) => (q.journeyId === undefined) !== (q.broadcastId === undefined), {
    message: 'give journeyId or broadcastId',
    path: ['journeyId'],
  });

/** Any report from query parameters: the archive ones, or the live ones over a journey's or broadcast's counters. */
export async function runReport(
  name: string,
  query: Record<string, string | undefined>,
  deps: ReportDeps,
  today: string,
): Promise<ReportOutput> {
  if (isArchiveReport(name)) return runArchiveReport(name, archiveInputFromQuery(query), 'query', deps, today);
  const input = parseInput(liveQuery, query, 'query');
  if (!(LIVE_REPORTS as readonly string[]).includes(name)) {
    throw new NotFoundError(`no report is called ${name}; there are ${allNames()}`);
  }
  const journeyId = input.journeyId ?? `broadcast:${input.broadcastId}`;
  const { from, to } = reportRange(input, 'query', today, 29);
  const rows = await deps.metrics.read(journeyId, from, to);
  const window = { journeyId, from, to };
  const attribution = await attributionRule(deps);
  if (name === 'message-funnel') {
    const lines = messageFunnel(rows);
    const definitions = { ...FUNNEL_DEFINITIONS, window: `${from} to ${to}`, attribution };
    return {
      json: { report: 'message-funnel', ...window, lines, definitions },
      csv: { name: `message-funnel-${journeyId}`, rows: lines, definitions },
    };
  }
  const report = abTest(rows, { mde: input.mde });
  const definitions = { ...report.definitions, window: `${from} to ${to}`, attribution };
  return {
    json: { report: 'ab-test', ...window, ...report, definitions },
    csv: { name: `ab-test-${journeyId}`, rows: report.arms, definitions: { ...definitions, verdict: report.verdict } },
  };
}

async function attributionRule(deps: Pick<ReportDeps, 'settings'>): Promise<string> {
  const { attribution } = await deps.settings.get();
  return (
    `${attribution.event} within ${attribution.windowDays} days after the message; the latest message of each ` +
    'journey or broadcast gets it; revenue from properties.revenue or total'
  );
}
