// Admin routes for reports: JSON by default, CSV with `format=csv` (small teams live in spreadsheets).

import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Adapters } from '../../adapters/aws/environment.js';
import { abTest, FUNNEL_DEFINITIONS, messageFunnel } from '../../core/metrics/messageReports.js';
import { dayOf } from '../../core/metrics/counters.js';
import { InvalidRequestError, NotFoundError } from '../../errors.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminRoute } from './journeyRoutes.js';
import { parse } from './parse.js';

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

export function reportRoutes(adapters: Adapters): Record<string, AdminRoute> {
  return {
    'GET /admin/v1/reports/{name}': async (event) => {
      const name = event.pathParameters?.name ?? '';
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
      throw new NotFoundError(`no report is called ${name}; there are message-funnel and ab-test`);
    },
  };
}

async function attributionRule(adapters: Adapters): Promise<string> {
  const { attribution } = await adapters.settings.get();
  return `${attribution.event} within ${attribution.windowDays} days after the message; the latest message of each journey or broadcast gets it; revenue from properties.revenue or total`;
}
