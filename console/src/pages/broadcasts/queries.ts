// Broadcasts' data: the list, one broadcast (polled while it sends), create, check, test send, send, cancel, A/B.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRefusal, answer, refusalOf, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type Broadcast = Schemas['Broadcast'];
export type BroadcastDefinition = Schemas['BroadcastDefinition'];
export type ChecklistItem = Schemas['ChecklistItem'];
export type AbTestReport = Schemas['AbTestReport'];

/** A send refused with 409: the API's words and, when the checklist failed, the items that failed. */
export class SendRefusal extends ApiRefusal {
  constructor(
    refusal: ApiRefusal,
    readonly failing: ChecklistItem[],
  ) {
    super(refusal.status, refusal.code, refusal.message, refusal.field);
  }
}

export function useBroadcasts() {
  const api = useApi();
  return useQuery({ queryKey: ['broadcasts'], queryFn: () => answer(api.GET('/admin/v1/broadcasts')) });
}

export function useBroadcast(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['broadcast', id],
    queryFn: () => answer(api.GET('/admin/v1/broadcasts/{id}', { params: { path: { id } } })),
    // While the fan-out runs, its progress moves: look again every two seconds until it is done.
    refetchInterval: (query) => (query.state.data?.status === 'sending' ? 2_000 : false),
  });
}

export function useCreateBroadcast() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (definition: BroadcastDefinition) => answer(api.POST('/admin/v1/broadcasts', { body: definition })),
    onSuccess: (created) => {
      queryClient.setQueryData(['broadcast', created.definition.id], created);
      return queryClient.invalidateQueries({ queryKey: ['broadcasts'] });
    },
  });
}

/** The mutations of one broadcast; each refreshes the broadcast, since each changes what it shows. */
export function useBroadcastActions(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['broadcast', id] }),
      queryClient.invalidateQueries({ queryKey: ['broadcasts'] }),
    ]);
  const path = { params: { path: { id } } };
  return {
    check: useMutation({
      mutationFn: () => answer(api.POST('/admin/v1/broadcasts/{id}/check', path)),
      onSuccess: refresh,
    }),
    testSend: useMutation({
      mutationFn: () => answer(api.POST('/admin/v1/broadcasts/{id}/test-send', path)),
      onSuccess: refresh,
    }),
    send: useMutation({
      mutationFn: async (forceReason?: string) => {
        const { data, error, response } = await api.POST('/admin/v1/broadcasts/{id}/send', {
          ...path,
          body: forceReason ? { force: { reason: forceReason } } : {},
        });
        if (response.ok) return data!;
        const refusal = refusalOf(response.status, error);
        const failing = (error as { failing?: ChecklistItem[] } | undefined)?.failing;
        throw Array.isArray(failing) ? new SendRefusal(refusal, failing) : refusal;
      },
      onSettled: refresh,
    }),
    cancel: useMutation({
      mutationFn: () => answer(api.POST('/admin/v1/broadcasts/{id}/cancel', path)),
      onSuccess: refresh,
    }),
  };
}

/** The A/B result of a broadcast that went out: arms, intervals, uplift, p-values and the verdict. */
export function useBroadcastAbTest(id: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['report', 'ab-test', 'broadcast', id],
    enabled,
    queryFn: async () => {
      const report = await answer(
        api.GET('/admin/v1/reports/{name}', {
          params: { path: { name: 'ab-test' }, query: { broadcastId: id, format: 'json' } },
        }),
      );
      // One route answers every report: this one was asked for as ab-test JSON.
      if (typeof report === 'string' || report.report !== 'ab-test') {
        const got = typeof report === 'string' ? 'text' : report.report;
        throw new Error(`expected the ab-test report, got ${got}`);
      }
      return report;
    },
    refetchInterval: 30_000,
  });
}

export function useSegmentChoices() {
  const api = useApi();
  return useQuery({ queryKey: ['segments'], queryFn: () => answer(api.GET('/admin/v1/segments')) });
}

export function useTemplateChoices() {
  const api = useApi();
  return useQuery({ queryKey: ['templates'], queryFn: () => answer(api.GET('/admin/v1/templates')) });
}
