// The table's admin routes for reports and analytics: live message reports, archive reports, the daily refresh.

import * as z from 'zod';
import { cohortParams, funnelParams, orderParams } from '../../core/analytics/eventReports.js';
import type { AnalyticsModel } from '../../core/analytics/refreshCustomers.js';
import { ARCHIVE_REPORTS, type ArchiveReportName } from '../../core/analytics/reportCatalogue.js';
import type { AbArm, AbReport, FunnelLine } from '../../core/metrics/messageReports.js';
import type { Overview } from '../../core/metrics/overview.js';
import { adminRoutes } from '../contract.js';
import type { Assert, Same } from '../shapes.js';

const REPORT_NAMES =
  'message-funnel, ab-test (live counters of a journey or broadcast); funnel, retention, ' +
  'repurchase, pareto, revenue-tree, rfm, ltv-history (the event archive)';

const reportParams = z.object({
  name: z
    .string()
    .min(1)
    .meta({ description: `One of ${REPORT_NAMES}.` }),
});
const day = z.iso.date();
const reportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json').meta({ description: '`csv`: the rows, then the definitions.' }),
  from: day
    .optional()
    .meta({ description: 'First day (default: 30 days, or a year for archive reports, before `to`).' }),
  to: day.optional().meta({ description: 'Last day (default: today). At most three years after `from`.' }),
  journeyId: z.string().optional().meta({ description: 'Live reports: a journey’s id, or `broadcast:<id>`.' }),
  broadcastId: z.string().optional().meta({ description: 'Live reports: a broadcast’s id instead of journeyId.' }),
  mde: z.coerce.number().optional().meta({ description: 'ab-test: the minimum detectable effect (0.1 = 10 %).' }),
  steps: z.string().optional().meta({ description: 'funnel: the steps’ event names, comma-separated.' }),
  windowDays: z.coerce.number().optional().meta({ description: 'funnel: days from the first step.' }),
  compareFrom: day.optional(),
  compareTo: day.optional(),
  breakdown: z.string().optional(),
  orderEvent: z.string().optional(),
  period: z.enum(['week', 'month']).optional(),
  cohort: z.enum(['first_seen', 'first_order']).optional(),
  activity: z.enum(['any', 'order']).optional(),
});
const nullableNumber = z.number().nullable();
const funnelLine = z
  .object({
    stepId: z.string().meta({ description: '`-` for a message outside any step (a broadcast).' }),
    variant: z.string().meta({ description: '`-` without variants.' }),
    template: z.string(),
    requested: z.number(),
    sent: z.number(),
    delivered: z.number(),
    opened: z.number(),
    clicked: z.number(),
    converted: z.number(),
    revenue: z.number(),
    heldOut: z.number(),
    skipped: z.number(),
    capped: z.number(),
    bounced: z.number(),
    complained: z.number(),
    unsubscribed: z.number(),
    deliveryRate: nullableNumber,
    openRate: nullableNumber,
    clickRate: nullableNumber,
    clickToOpenRate: nullableNumber,
    conversionRate: nullableNumber,
    negativeReactionRate: nullableNumber,
    revenuePerRecipient: nullableNumber,
  })
  .meta({ id: 'FunnelLine', description: 'One step × variant × template; a rate is null without a denominator.' });

const estimate = z.object({ estimate: nullableNumber, low: nullableNumber, high: nullableNumber });
const abArm = z
  .object({
    variant: z.string(),
    recipients: z.number(),
    conversions: z.number(),
    conversionRate: nullableNumber,
    interval: z.object({ low: nullableNumber, high: nullableNumber }),
    revenue: z.number(),
    revenuePerRecipient: nullableNumber,
    coupons: z
      .object({ issued: z.number(), redeemed: z.number(), redemptionRate: nullableNumber, revenue: z.number() })
      .optional()
      .meta({ description: 'Present when the arm’s messages printed coupon codes.' }),
    vsReference: z
      .object({
        absoluteUplift: estimate,
        relativeUplift: estimate.nullable(),
        pValue: nullableNumber,
        alwaysValidPValue: nullableNumber,
        revenuePerRecipient: z.object({
          difference: nullableNumber,
          t: nullableNumber,
          df: nullableNumber,
          pValue: nullableNumber,
        }),
        incrementalConversions: estimate,
        incrementalRevenue: estimate,
      })
      .optional()
      .meta({ description: 'Absent on the reference arm.' }),
  })
  .meta({ id: 'AbArm' });

const definitions = z.record(z.string(), z.string()).meta({ description: 'What every number means.' });
const liveWindow = {
  journeyId: z.string().meta({ description: 'The journey’s id, or `broadcast:<id>`.' }),
  from: day,
  to: day,
  definitions,
};
const messageFunnelReport = z
  .object({ report: z.literal('message-funnel'), ...liveWindow, lines: z.array(funnelLine) })
  .meta({ id: 'MessageFunnelReport' });
const abTestReport = z
  .object({
    report: z.literal('ab-test'),
    ...liveWindow,
    reference: z.string().meta({ description: 'The arm the others are compared with (the control group).' }),
    arms: z.array(abArm),
    requiredPerArm: nullableNumber,
    winner: z.string().nullable(),
    verdict: z.string(),
  })
  .meta({ id: 'AbTestReport' });
const archiveNames = Object.keys(ARCHIVE_REPORTS) as [ArchiveReportName, ...ArchiveReportName[]];
const archiveReport = z.looseObject({ report: z.enum(archiveNames), from: day, to: day, definitions }).meta({
  id: 'ArchiveReport',
  description: 'A report over the event archive; its other fields depend on the report.',
});
const report = z
  .discriminatedUnion('report', [messageFunnelReport, abTestReport, archiveReport])
  .meta({ id: 'Report' });

const analyticsModel = z
  .object({
    at: z.iso.datetime(),
    purchases: z
      .object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number() })
      .meta({ description: 'BG/NBD parameters: how often and how long customers buy.' }),
    spend: z
      .object({ p: z.number(), q: z.number(), gamma: z.number() })
      .meta({ description: 'Gamma-Gamma parameters: how much they spend per order.' }),
    populationMeanSpend: z.number(),
    rfm: z
      .object({ recencyDays: z.array(z.number()), orders: z.array(z.number()), revenue: z.array(z.number()) })
      .meta({ description: 'The quintile thresholds of recency, frequency and monetary value.' }),
    customers: z.number(),
  })
  .meta({ id: 'AnalyticsModel' });

const overviewTotals = funnelLine
  .omit({ stepId: true, variant: true, template: true })
  .extend({ failed: z.number() })
  .meta({ id: 'OverviewTotals' });
const overviewPeriod = z.object({ from: day, to: day, totals: overviewTotals });
const overview = z
  .object({
    days: z.number(),
    current: overviewPeriod,
    previous: overviewPeriod.meta({ description: 'The same number of days just before, for the trend.' }),
    attention: z.object({
      failingChecklists: z.array(
        z.object({
          broadcastId: z.string(),
          name: z.string(),
          at: z.iso.datetime(),
          failing: z.array(z.object({ id: z.string(), summary: z.string() })),
        }),
      ),
      failedSends: z.array(z.object({ journeyId: z.string(), name: z.string(), failed: z.number() })),
      deadLetters: z
        .array(z.object({ queue: z.string(), messages: z.number() }))
        .meta({ description: 'Dead-letter queues holding messages, fullest first.' }),
    }),
    definitions,
  })
  .meta({ id: 'Overview' });

// The schemas above describe what the handlers return; these fail to compile when the domain types move.
export type ResponseSchemasMatch = [
  Assert<Same<z.output<typeof funnelLine>, FunnelLine>>,
  Assert<Same<z.output<typeof abArm>, AbArm>>,
  Assert<Same<Omit<z.output<typeof abTestReport>, 'report' | 'journeyId' | 'from' | 'to'>, AbReport>>,
  Assert<Same<z.output<typeof analyticsModel>, AnalyticsModel>>,
  Assert<Same<z.output<typeof overview>, Overview>>,
];
const csv = z.string().meta({ description: 'The rows, a blank line, then each term and its meaning.' });

export const reportRoutes = adminRoutes({
  getReport: {
    method: 'GET',
    path: '/admin/v1/reports/{name}',
    permission: 'reports:read',
    tag: 'reports',
    summary: 'Run a report',
    description:
      `Runs ${REPORT_NAMES}. Simple parameters go in the query; each report takes only its own. ` +
      'Archive reports accept at most three years.',
    params: reportParams,
    query: reportQuery,
    checkedBy: 'use-case',
    responses: {
      200: { description: 'The report with its definitions.', schema: report, alternatives: { 'text/csv': csv } },
    },
  },
  runReport: {
    method: 'POST',
    path: '/admin/v1/reports/{name}',
    permission: 'reports:read',
    tag: 'reports',
    summary: 'Run an archive report with a JSON body',
    description: 'For parameters a query cannot carry (funnel steps with filters, comparisons).',
    params: reportParams,
    query: reportQuery.pick({ format: true }),
    body: z.union([funnelParams, cohortParams, orderParams]).optional(),
    bodyOptional: true,
    checkedBy: 'use-case',
    responses: {
      200: { description: 'The report with its definitions.', schema: report, alternatives: { 'text/csv': csv } },
    },
  },
  getOverview: {
    method: 'GET',
    path: '/admin/v1/overview',
    permission: 'reports:read',
    tag: 'reports',
    summary: 'The last days at a glance',
    description:
      'Every journey and broadcast: sent, delivery, open, click, conversion and negative-reaction rates and ' +
      'attributed revenue over the last `days` days and the days before them; draft broadcasts whose checklist ' +
      'fails and owners with failed sends.',
    query: z.object({
      days: z.coerce
        .number()
        .int()
        .min(1)
        .max(366)
        .default(30)
        .meta({ description: 'Days up to today (default 30), compared with as many before.' }),
    }),
    responses: { 200: { description: 'The totals of both periods and what needs attention.', schema: overview } },
  },
  refreshAnalytics: {
    method: 'POST',
    path: '/admin/v1/analytics/refresh',
    permission: 'analytics:run',
    tag: 'reports',
    summary: 'Run the daily analytics refresh now',
    description: 'RFM thresholds, predicted LTV and best send hour, written back to profiles (in AWS it runs nightly).',
    responses: {
      200: {
        description: 'How many buyers and profiles, and the fitted model.',
        schema: z.object({
          buyers: z.number(),
          profilesUpdated: z.number(),
          recommended: z.number().meta({ description: 'Profiles whose product recommendations changed.' }),
          model: analyticsModel.nullable(),
          note: z.string().optional(),
        }),
      },
    },
  },
  getAnalyticsModel: {
    method: 'GET',
    path: '/admin/v1/analytics/model',
    permission: 'reports:read',
    tag: 'reports',
    summary: 'The latest analytics model',
    description: 'The RFM thresholds and LTV model of the last refresh.',
    responses: { 200: { description: 'The model.', schema: analyticsModel } },
  },
});
