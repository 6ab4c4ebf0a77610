// The audit page's data: entries by filter, page after page back in time.
import { useInfiniteQuery } from '@tanstack/react-query';
import { answer } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type AuditFilter = { actor?: string; target?: string; route?: string };

export function useAuditEntries(filter: AuditFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      answer(
        api.GET('/admin/v1/audit', {
          params: { query: { ...filter, limit: 50, ...(pageParam ? { before: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next,
  });
}
