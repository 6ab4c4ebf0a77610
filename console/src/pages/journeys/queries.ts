// Journeys' data: the list, one journey and its versions, its send steps' live numbers (message-funnel), and
// what a marketer does to it: save a version, validate a draft, activate, pause, archive, simulate.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRefusal, answer, refusalOf, type Schemas } from '../../api/client.js';
import type { operations } from '../../api/schema.js';
import { useApi } from '../../auth/session.js';

export type ChecklistItem = Schemas['ChecklistItem'];
export type JourneyProblem = Schemas['JourneyValidation']['problems'][number];
/** What the simulate route takes: a customer (stored, or described), a start and a timeline of events. */
export type SimulationInput = NonNullable<operations['simulateJourney']['requestBody']>['content']['application/json'];
export type Simulation = operations['simulateJourney']['responses'][200]['content']['application/json'];

/** An activation refused with 409: the API's words and the checklist items that failed. */
export class ActivationRefusal extends ApiRefusal {
  constructor(
    refusal: ApiRefusal,
    readonly failing: ChecklistItem[],
  ) {
    super(refusal.status, refusal.code, refusal.message, refusal.field);
  }
}

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

export function useJourneyVersions(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['journey', id, 'versions'],
    queryFn: () => answer(api.GET('/admin/v1/journeys/{id}/versions', { params: { path: { id } } })),
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

/** Every problem of a draft, each with its path (`steps.welcome.next`), without saving it. */
export function useValidateDraft() {
  const api = useApi();
  return useMutation({
    mutationFn: (draft: unknown) =>
      // The route checks the body itself (all problems at once), so any JSON value may go.
      answer(api.POST('/admin/v1/journeys/validate', { body: draft as Schemas['JourneyDefinition'] })),
  });
}

/** The lifecycle of one journey; each refreshes the journey and the list, since each changes what they show. */
export function useJourneyActions(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['journey', id] }),
      queryClient.invalidateQueries({ queryKey: ['journeys'] }),
    ]);
  const path = { params: { path: { id } } };
  return {
    save: useMutation({
      mutationFn: (definition: Schemas['JourneyDefinition']) =>
        answer(api.PUT('/admin/v1/journeys/{id}', { ...path, body: definition })),
      onSuccess: refresh,
    }),
    activate: useMutation({
      mutationFn: async ({ version, forceReason }: { version?: number; forceReason?: string }) => {
        const { data, error, response } = await api.POST('/admin/v1/journeys/{id}/activate', {
          ...path,
          body: { ...(version ? { version } : {}), ...(forceReason ? { force: { reason: forceReason } } : {}) },
        });
        if (response.ok) return data!;
        const refusal = refusalOf(response.status, error);
        const failing = (error as { failing?: ChecklistItem[] } | undefined)?.failing;
        throw Array.isArray(failing) ? new ActivationRefusal(refusal, failing) : refusal;
      },
      onSettled: refresh,
    }),
    pause: useMutation({
      mutationFn: () => answer(api.POST('/admin/v1/journeys/{id}/pause', path)),
      onSuccess: refresh,
    }),
    archive: useMutation({
      mutationFn: () => answer(api.POST('/admin/v1/journeys/{id}/archive', path)),
      onSuccess: refresh,
    }),
  };
}

/** One customer through the journey on a virtual clock: nothing is stored or sent. */
export function useSimulation(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (input: SimulationInput) =>
      answer(api.POST('/admin/v1/journeys/{id}/simulate', { params: { path: { id } }, body: input })),
  });
}
