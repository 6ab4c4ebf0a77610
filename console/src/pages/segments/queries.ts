// Segments' data: the saved list, one segment, saving it, and the live estimate of a condition being built.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type Segment = Schemas['Segment'];
export type Condition = Schemas['Condition'];

export function useSegments() {
  const api = useApi();
  return useQuery({ queryKey: ['segments'], queryFn: () => answer(api.GET('/admin/v1/segments')) });
}

export function useSegment(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['segment', id],
    queryFn: () => answer(api.GET('/admin/v1/segments/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
}

/** Creates the segment, or replaces it when it exists already (`existing`). */
export function useSaveSegment(existing: boolean) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (segment: Segment) =>
      answer(
        existing
          ? api.PUT('/admin/v1/segments/{id}', { params: { path: { id: segment.id } }, body: segment })
          : api.POST('/admin/v1/segments', { body: segment }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['segment', saved.id], saved);
      return queryClient.invalidateQueries({ queryKey: ['segments'] });
    },
  });
}

/**
 * How many profiles the condition matches now. The key is the condition itself, so each edit asks again (the
 * caller debounces) and the last count stays on screen while the next one is on its way.
 */
export function useConditionEstimate(condition: Condition | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['segment-estimate', condition],
    queryFn: () => answer(api.POST('/admin/v1/segments/estimate', { body: { condition: condition! } })),
    enabled: condition !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
