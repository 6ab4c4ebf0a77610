// The customer page's data: profile, recent events, the message log and their journeys, each its own query.
import { useQuery } from '@tanstack/react-query';
import { answer } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export function useProfile(userId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['profile', userId],
    enabled,
    queryFn: () => answer(api.GET('/admin/v1/profiles/{userId}', { params: { path: { userId } } })),
  });
}

export function useProfileEvents(userId: string, enabled = true, limit = 50) {
  const api = useApi();
  return useQuery({
    queryKey: ['profile', userId, 'events', limit],
    enabled,
    queryFn: () =>
      answer(api.GET('/admin/v1/profiles/{userId}/events', { params: { path: { userId }, query: { limit } } })),
  });
}

export function useProfileMessages(userId: string, enabled = true, limit = 100) {
  const api = useApi();
  return useQuery({
    queryKey: ['profile', userId, 'messages', limit],
    enabled,
    queryFn: () =>
      answer(api.GET('/admin/v1/profiles/{userId}/messages', { params: { path: { userId }, query: { limit } } })),
  });
}

export function useProfileJourneys(userId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['profile', userId, 'journeys'],
    enabled,
    queryFn: () => answer(api.GET('/admin/v1/profiles/{userId}/journeys', { params: { path: { userId } } })),
  });
}
