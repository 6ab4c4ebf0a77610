// The table's admin routes for reports and analytics: live message reports, archive reports, the daily refresh.

import * as z from 'zod';
import { cohortParams, funnelParams, orderParams } from '../../core/analytics/eventReports.js';
import { adminRoutes } from '../contract.js';

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
const report = z
  .looseObject({
    report: z.string(),
    from: day,
    to: day,
    definitions: z.record(z.string(), z.string()).meta({ description: 'What every number means.' }),
  })
  .meta({ id: 'Report' });
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
          model: z.looseObject({}).nullable(),
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
    responses: { 200: { description: 'The model.', schema: z.looseObject({}) } },
  },
});
