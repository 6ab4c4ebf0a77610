// Admin route implementations for reports: JSON by default, CSV with `format=csv` (small teams live in
// spreadsheets). Which reports exist and how each runs is the report catalogue's business.

import { stringify } from 'csv-stringify/sync';
import { MIN_BUYERS } from '../../core/analytics/refreshCustomers.js';
import { runArchiveReport, runReport, type ReportOutput } from '../../core/analytics/reportCatalogue.js';
import { dayOf } from '../../core/metrics/counters.js';
import { messageOverview } from '../../core/metrics/overview.js';
import { NotFoundError } from '../../core/errors.js';
import { runRefresh } from '../analyticsRefresh.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';

/** Flattens nested objects into dotted columns for CSV. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    } else out[`${prefix}${k}`] = v;
  }
  return out;
}

function csvResponse({ rows, definitions, name }: ReportOutput['csv']) {
  const flat = rows.map((r) => flatten(r));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const terms = Object.entries(definitions).map(([term, meaning]) => ({ term, meaning: String(meaning) }));
  const body = `${stringify(flat, { header: true, columns })}\n${stringify(terms, { header: true })}`;
  const headers = {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.csv"`,
  };
  return { statusCode: 200, headers, body };
}

const answer = (output: ReportOutput, format: string | undefined) =>
  format === 'csv' ? csvResponse(output.csv) : jsonResponse(200, output.json);

export function reportRoutes(deps: AdminDeps) {
  const today = () => dayOf(deps.clock.now());
  return {
    // The daily refresh on demand (`retain analytics refresh`); in AWS a schedule runs it every night.
    refreshAnalytics: async () => {
      const { buyers, profilesUpdated, model, recommended } = await runRefresh(deps)();
      const note = model ? {} : { note: `fewer than ${MIN_BUYERS} buyers in the archive: nothing fitted` };
      return jsonResponse(200, { buyers, profilesUpdated, recommended, model: model ?? null, ...note });
    },
    getAnalyticsModel: async () => {
      const model = await deps.analyticsModels.latest();
      if (!model) throw new NotFoundError('no analytics model yet: run POST /admin/v1/analytics/refresh');
      return jsonResponse(200, model);
    },
    runReport: async ({ params: { name }, query, body }) => {
      const input = (body ?? {}) as Record<string, unknown>;
      return answer(await runArchiveReport(name, input, 'body', deps, today()), query.format);
    },
    getOverview: async ({ query: { days } }) => jsonResponse(200, await messageOverview(deps, today(), days)),
    getReport: async ({ params: { name }, query }) => answer(await runReport(name, query, deps, today()), query.format),
  } satisfies SomeImplementations;
}
