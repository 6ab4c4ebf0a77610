// Home's data: the overview (every journey's and broadcast's counters, this period and the one before) and the lists.
import { useQuery } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type Overview = Schemas['Overview'];
export type OverviewTotals = Schemas['OverviewTotals'];

/** The days Home looks back over; the API compares them with as many days before. */
export const HOME_DAYS = 30;

export function useOverview() {
  const api = useApi();
  return useQuery({
    queryKey: ['overview', HOME_DAYS],
    queryFn: () => answer(api.GET('/admin/v1/overview', { params: { query: { days: HOME_DAYS } } })),
    // Counters move as messages go out and are opened: a minute is fresh enough for a glance.
    refetchInterval: 60_000,
  });
}

export function useJourneyList() {
  const api = useApi();
  return useQuery({ queryKey: ['journeys'], queryFn: () => answer(api.GET('/admin/v1/journeys')) });
}

export function useBroadcastList() {
  const api = useApi();
  return useQuery({ queryKey: ['broadcasts'], queryFn: () => answer(api.GET('/admin/v1/broadcasts')) });
}
