// The offers pages' data and writes: the catalog page by page and one product put, coupon pools (a new one, codes
// loaded into one) and a pool's report, a customer's points ledger.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRefusal, answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type CatalogProduct = Schemas['CatalogProduct'];
export type CatalogProductDefinition = Schemas['CatalogProductDefinition'];
export type CouponPoolDefinition = Schemas['CouponPoolDefinition'];
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

/**
 * The page's "new" must not change what exists: POST /admin/v1/coupons and PUT /admin/v1/catalog/{id} both create
 * or replace, so the console asks first and stops at an id already taken.
 */
export class TakenId extends Error {
  constructor(readonly id: string) {
    super(`the id ${id} is taken`);
  }
}

/** Resolves when the API answers 404 for the thing, throws TakenId when it answers 200. */
async function assertFree(id: string, call: Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  try {
    await answer(call);
  } catch (error) {
    if (error instanceof ApiRefusal && error.status === 404) return;
    throw error;
  }
  throw new TakenId(id);
}

export function useCreateCouponPool() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CouponPoolDefinition) => {
      await assertFree(body.id, api.GET('/admin/v1/coupons/{poolId}', { params: { path: { poolId: body.id } } }));
      return answer(api.POST('/admin/v1/coupons', { body }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['coupons'] }),
  });
}

/** One request of codes (the route takes at most MAX_CODES_PER_REQUEST); the caller splits a larger list. */
export function useLoadCouponCodes(poolId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (codes: string[]) =>
      answer(api.POST('/admin/v1/coupons/{poolId}/codes', { params: { path: { poolId } }, body: { codes } })),
  });
}

/** `isNew`: the form adds a product, so an id already in the catalog is refused rather than replaced. */
export function usePutProduct() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ product, isNew }: { product: CatalogProductDefinition; isNew: boolean }) => {
      const path = { productId: product.id };
      if (isNew) await assertFree(product.id, api.GET('/admin/v1/catalog/{productId}', { params: { path } }));
      return answer(api.PUT('/admin/v1/catalog/{productId}', { params: { path }, body: product }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog'] }),
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
