// Admin routes for reports: JSON by default, CSV with `format=csv` (small teams live in spreadsheets).

import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import type { Adapters } from '../../adapters/Adapters.js';
import { abTest, FUNNEL_DEFINITIONS, messageFunnel } from '../../core/metrics/messageReports.js';
import { dayOf } from '../../core/metrics/counters.js';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminRoute } from './journeyRoutes.js';
import { parse } from './parse.js';
import type { ReportEngine } from '../../core/analytics/ports.js';
import { runRefresh } from '../analyticsRefresh.js';
import { MIN_BUYERS } from '../../core/analytics/refreshCustomers.js';
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
  RFM_SEGMENTS,
  rfmShape,
  rfmSql,
} from '../../core/analytics/eventReports.js';

const day = z.iso.date();
const reportQuery = z
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
  .refine((q) => (q.journeyId === undefined) !== (q.broadcastId === undefined), { message: 'give journeyId or broadcastId', path: ['journeyId'] });

/** Flattens nested objects into dotted columns for CSV. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

function csvResponse(rows: Record<string, unknown>[], definitions: Record<string, unknown>, name: string) {
  const flat = rows.map((r) => flatten(r));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const body = `${stringify(flat, { header: true, columns })}\n${stringify(Object.entries(definitions).map(([term, meaning]) => ({ term, meaning: String(meaning) })), { header: true })}`;
  return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }, body };
}

/** The archive reports: their parameters, SQL and shape; GET takes simple query parameters, POST a JSON body. */
const ARCHIVE_REPORTS = {
  funnel: {
    params: funnelParams,
    run: async (engine: ReportEngine, p: z.infer<typeof funnelParams>) => {
      const current = funnelShape(await engine.query(funnelSql(engine.dialect, p)), p);
      const compared = p.compare ? funnelShape(await engine.query(funnelSql(engine.dialect, p, p.compare.from, p.compare.to)), p) : undefined;
      return { rows: current.flatMap((s) => s.steps.map((step) => ({ segment: s.segment, ...step }))), body: { segments: current, ...(compared ? { compare: { ...p.compare, segments: compared } } : {}) }, definitions: { ...EVENT_FUNNEL_DEFINITIONS, window: `${p.windowDays} days from the first step` } };
    },
  },
  retention: {
    params: cohortParams,
    run: async (engine: ReportEngine, p: z.infer<typeof cohortParams>) => {
      const shaped = retentionShape(await engine.query(retentionSql(engine.dialect, p)), await engine.query(churnSql(engine.dialect, p)));
      return {
        rows: shaped.cohorts.flatMap((c) => c.share.map((share, offset) => ({ cohort: c.cohort, size: c.size, offset, active: c.active[offset], share }))),
        body: shaped,
        definitions: {
          cohort: p.cohort === 'first_order' ? `the ${p.period} of a customer's first ${p.orderEvent}` : `the ${p.period} a customer was first seen`,
          active: p.activity === 'order' ? `placed an order (${p.orderEvent}) in the ${p.period}` : `sent any event in the ${p.period}`,
          churnRate: `of the customers active in the previous ${p.period}, the share not active in this one`,
        },
      };
    },
  },
  repurchase: {
    params: orderParams,
    run: async (engine: ReportEngine, p: z.infer<typeof orderParams>) => {
      const shaped = repurchaseShape(await engine.query(repurchaseSql(engine.dialect, p)));
      return { rows: shaped.daysBetweenOrders, body: shaped, definitions: { repurchaseRate: `customers with two or more ${p.orderEvent} ÷ customers with one or more`, daysBetweenOrders: 'days from each order to the customer\'s previous one' } };
    },
  },
  pareto: {
    params: orderParams,
    run: async (engine: ReportEngine, p: z.infer<typeof orderParams>) => {
      const shaped = paretoShape(await engine.query(paretoSql(engine.dialect, p)));
      return { rows: shaped.curve, body: shaped, definitions: { top20Share: 'share of revenue from the 20 % of buyers who spent most', curve: 'cumulative share of revenue by top percent of buyers' } };
    },
  },
  'revenue-tree': {
    params: orderParams,
    run: async (engine: ReportEngine, p: z.infer<typeof orderParams>) => {
      const periods = revenueTreeShape(await engine.query(revenueTreeSql(engine.dialect, p)));
      return { rows: periods, body: { periods }, definitions: { tree: 'revenue = visitors × conversion × orders per buyer × average order value', visitors: 'customers with any event in the period', conversion: 'buyers ÷ visitors', firstOrders: "each customer's first order in the range" } };
    },
  },
  rfm: {
    params: orderParams,
    run: async (engine: ReportEngine, p: z.infer<typeof orderParams>) => {
      const shaped = rfmShape(await engine.query(rfmSql(engine.dialect, p)));
      return {
        rows: shaped.segments,
        body: shaped,
        definitions: {
          scores: `R, F and M are quintiles (5 best) of days since the last ${p.orderEvent} as of ${p.to}, number of orders and revenue in the range`,
          segments: RFM_SEGMENTS.map((s) => `${s.name}: R ${s.r.join('–')}, mean of F and M ${s.fm.join('–')}`).join('; '),
        },
      };
    },
  },
  'ltv-history': {
    params: orderParams,
    run: async (engine: ReportEngine, p: z.infer<typeof orderParams>) => {
      const cohorts = ltvHistoryShape(await engine.query(ltvHistorySql(engine.dialect, p)));
      return { rows: cohorts.map((c) => ({ cohort: c.cohort, customers: c.customers, ...Object.fromEntries(c.cumulativeRevenuePerCustomer.map((v, i) => [`month${i}`, v])) })), body: { cohorts }, definitions: { cohort: `the month of a customer's first ${p.orderEvent}`, cumulativeRevenuePerCustomer: 'revenue of the cohort up to each month since its first order ÷ its customers' } };
    },
  },
} as const;

/** Query-string parameters as the report's JSON: numbers as numbers, `steps` as a comma-separated list. */
function fromQuery(query: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || k === 'format') continue;
    if (k === 'steps') out.steps = v.split(',').map((event) => ({ event: event.trim() }));
    else if (k === 'windowDays') out.windowDays = Number(v);
    else if (k === 'compareFrom' || k === 'compareTo') out.compare = { ...(out.compare as object), [k === 'compareFrom' ? 'from' : 'to']: v };
    else out[k] = v;
  }
  return out;
}

export function reportRoutes(adapters: Adapters): Record<string, AdminRoute> {
  const archiveReport = async (name: keyof typeof ARCHIVE_REPORTS, input: Record<string, unknown>, format: string, where: 'query' | 'body') => {
    const report = ARCHIVE_REPORTS[name];
    const to = typeof input.to === 'string' ? input.to : dayOf(adapters.clock.now());
    const from = typeof input.from === 'string' ? input.from : dayOf(new Date(Date.parse(to) - 364 * 86_400_000));
    const params = parse(report.params as z.ZodType, { ...input, from, to }, where);
    const { rows, body, definitions } = await (report.run as (e: ReportEngine, p: unknown) => Promise<{ rows: Record<string, unknown>[]; body: object; definitions: Record<string, string> }>)(adapters.reports, params);
    const allDefinitions = { ...definitions, range: `${from} to ${to}`, engine: adapters.reports.dialect.name };
    if (format === 'csv') return csvResponse(rows, allDefinitions, name);
    return jsonResponse(200, { report: name, from, to, ...body, definitions: allDefinitions });
  };
  return {
    // The daily refresh on demand (`retain analytics refresh`); in AWS a schedule runs it every night.
    'POST /admin/v1/analytics/refresh': async () => {
      const { buyers, profilesUpdated, model } = await runRefresh(adapters)();
      return jsonResponse(200, { buyers, profilesUpdated, model: model ?? null, ...(model ? {} : { note: `fewer than ${MIN_BUYERS} buyers in the archive: nothing fitted` }) });
    },
    'GET /admin/v1/analytics/model': async () => {
      const model = await adapters.analyticsModels.latest();
      if (!model) throw new NotFoundError('no analytics model yet: run POST /admin/v1/analytics/refresh');
      return jsonResponse(200, model);
    },
    'POST /admin/v1/reports/{name}': async (event) => {
      const name = event.pathParameters?.name ?? '';
      if (!(name in ARCHIVE_REPORTS)) throw new NotFoundError(`no archive report is called ${name}; there are ${Object.keys(ARCHIVE_REPORTS).join(', ')}`);
      const body = (event.jsonBody ?? {}) as Record<string, unknown>;
      return archiveReport(name as keyof typeof ARCHIVE_REPORTS, body, event.queryStringParameters?.format ?? 'json', 'body');
    },
    'GET /admin/v1/reports/{name}': async (event) => {
      const name = event.pathParameters?.name ?? '';
      if (name in ARCHIVE_REPORTS) {
        const query = event.queryStringParameters ?? {};
        return archiveReport(name as keyof typeof ARCHIVE_REPORTS, fromQuery(query), query.format ?? 'json', 'query');
      }
      const query = parse(reportQuery, event.queryStringParameters ?? {}, 'query');
      const journeyId = query.journeyId ?? `broadcast:${query.broadcastId}`;
      const to = query.to ?? dayOf(adapters.clock.now());
      const from = query.from ?? dayOf(new Date(Date.parse(to) - 29 * 86_400_000));
      if (from > to) throw new InvalidRequestError('query.from: must not be after to', 'query.from');
      const rows = await adapters.metrics.read(journeyId, from, to);
      const window = { journeyId, from, to };
      if (name === 'message-funnel') {
        const lines = messageFunnel(rows);
        const definitions = { ...FUNNEL_DEFINITIONS, window: `${from} to ${to}`, attribution: await attributionRule(adapters) };
        if (query.format === 'csv') return csvResponse(lines, definitions, `message-funnel-${journeyId}`);
        return jsonResponse(200, { report: 'message-funnel', ...window, lines, definitions });
      }
      if (name === 'ab-test') {
        const report = abTest(rows, { mde: query.mde });
        const definitions = { ...report.definitions, window: `${from} to ${to}`, attribution: await attributionRule(adapters) };
        if (query.format === 'csv') return csvResponse(report.arms, { ...definitions, verdict: report.verdict }, `ab-test-${journeyId}`);
        return jsonResponse(200, { report: 'ab-test', ...window, ...report, definitions });
      }
      throw new NotFoundError(`no report is called ${name}; there are message-funnel, ab-test, ${Object.keys(ARCHIVE_REPORTS).join(', ')}`);
    },
  };
}

async function attributionRule(adapters: Adapters): Promise<string> {
  const { attribution } = await adapters.settings.get();
  return `${attribution.event} within ${attribution.windowDays} days after the message; the latest message of each journey or broadcast gets it; revenue from properties.revenue or total`;
}
