// Who is signed in and what their role grants (GET /admin/v1/me), so a page offers only the writes the API allows.
import { useQuery } from '@tanstack/react-query';
import { answer } from '../api/client.js';
import type { operations } from '../api/schema.js';
import { useSession } from './session.js';

type CallerAnswer = operations['getCaller']['responses'][200]['content']['application/json'];
export type Permission = CallerAnswer['permissions'][number];

export function useCaller() {
  const { api, token } = useSession();
  return useQuery({
    // The cache outlives a sign-out; keyed by the token, another session never reads this one's grants.
    queryKey: ['caller', token],
    queryFn: () => answer(api!.GET('/admin/v1/me')),
    enabled: api !== undefined,
    // A role changes only with a new token.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Whether the signed-in role may do what the permission covers. Until the API has said, it may not: a write
 * button never shows and then vanishes. The API still decides every call; this only hides what it would refuse.
 */
export function useMay(permission: Permission): boolean | undefined {
  const caller = useCaller();
  return caller.data ? caller.data.permissions.includes(permission) : undefined;
}
