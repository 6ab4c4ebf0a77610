// The offers pages' data: the catalog page by page, coupon pools and a pool's report, a customer's points ledger.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type CatalogProduct = Schemas['CatalogProduct'];
export type CouponPool = Schemas['CouponPool'];
export type CouponCode = Schemas['CouponCode'];
export type PointsEntry = Schemas['PointsEntry'];

export function useCatalog() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['catalog'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      answer(
        api.GET('/admin/v1/catalog', { params: { query: { limit: 100, ...(pageParam ? { after: pageParam } : {}) } } }),
      ),
    getNextPageParam: (last) => last.next,
  });
}

export function useCouponPools() {
  const api = useApi();
  return useQuery({ queryKey: ['coupons'], queryFn: () => answer(api.GET('/admin/v1/coupons')) });
}

export function useCouponReport(poolId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['coupons', poolId],
    queryFn: () => answer(api.GET('/admin/v1/coupons/{poolId}', { params: { path: { poolId } } })),
  });
}

export function usePoints(userId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['points', userId],
    queryFn: () => answer(api.GET('/admin/v1/profiles/{userId}/points', { params: { path: { userId } } })),
  });
}

/** `source` is the API's idempotency key: the form makes one per adjustment, so a second click moves nothing. */
export function useAdjustPoints(userId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { points: number; reason: string; source: string }) =>
      answer(api.POST('/admin/v1/profiles/{userId}/points', { params: { path: { userId } }, body })),
    onSuccess: (result) => queryClient.setQueryData(['points', userId], result.ledger),
  });
}
