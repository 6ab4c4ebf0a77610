// Journeys' data: the list, one journey's definition, and its send steps' live numbers (message-funnel).
import { useQuery } from '@tanstack/react-query';
import { answer } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export function useJourneys() {
  const api = useApi();
  return useQuery({ queryKey: ['journeys'], queryFn: () => answer(api.GET('/admin/v1/journeys')) });
}

export function useJourney(id: string, version?: number) {
  const api = useApi();
  return useQuery({
    queryKey: ['journey', id, version ?? 'latest'],
    queryFn: () =>
      answer(api.GET('/admin/v1/journeys/{id}', { params: { path: { id }, query: version ? { version } : {} } })),
  });
}

/** The last 30 days of the journey's message counters (the API's default window). */
export function useJourneyFunnel(journeyId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['report', 'message-funnel', journeyId],
    queryFn: async () => {
      const report = await answer(
        api.GET('/admin/v1/reports/{name}', {
          params: { path: { name: 'message-funnel' }, query: { journeyId, format: 'json' } },
        }),
      );
      // One route answers every report, and CSV when asked: this one was asked for as message-funnel JSON.
      if (typeof report === 'string' || report.report !== 'message-funnel') {
        const got = typeof report === 'string' ? 'text' : report.report;
        throw new Error(`expected the message-funnel report, got ${got}`);
      }
      return report;
    },
    refetchInterval: 30_000,
  });
}
