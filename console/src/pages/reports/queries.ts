// Reports' data: one archive report as JSON for a range and its parameters, or the same as a CSV file.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, refusalOf } from '../../api/client.js';
import { useApi } from '../../auth/session.js';
import type { ReportName } from './reportShapes.js';

/** The query a report page sends: the range (empty means the API's default year) and the report's own knobs. */
export type ReportQuery = {
  from?: string;
  to?: string;
  steps?: string;
  windowDays?: number;
  period?: 'week' | 'month';
};

const withoutEmpty = (query: ReportQuery) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as ReportQuery;

export function useArchiveReport<T>(name: ReportName, query: ReportQuery) {
  const api = useApi();
  return useQuery({
    queryKey: ['report', name, query],
    // While a new range is asked for, the old chart stays instead of flashing a loader.
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const report = await answer(
        api.GET('/admin/v1/reports/{name}', {
          params: { path: { name }, query: { ...withoutEmpty(query), format: 'json' } },
        }),
      );
      if (typeof report === 'string' || report.report !== name) {
        throw new Error(`expected the ${name} report, got ${typeof report === 'string' ? 'text' : report.report}`);
      }
      return report as T;
    },
  });
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
};

/** The report as the API's CSV (rows, then the definitions), saved by the browser under the API's file name. */
export function useCsvDownload() {
  const api = useApi();
  return async (name: ReportName, query: ReportQuery) => {
    const { data, error, response } = await api.GET('/admin/v1/reports/{name}', {
      params: { path: { name }, query: { ...withoutEmpty(query), format: 'csv' } },
      parseAs: 'text',
    });
    if (!response.ok) throw refusalOf(response.status, typeof error === 'string' ? parsed(error) : error);
    const file = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${name}.csv`;
    const url = URL.createObjectURL(new Blob([data as string], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  };
}
