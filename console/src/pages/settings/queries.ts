// Delivery settings: read, and save the whole document (the API replaces it and answers what it kept).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type Settings = Schemas['Settings'];

export function useSettings() {
  const api = useApi();
  return useQuery({ queryKey: ['settings'], queryFn: () => answer(api.GET('/admin/v1/settings')) });
}

export function useSaveSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => answer(api.PUT('/admin/v1/settings', { body: settings })),
    onSuccess: (saved) => queryClient.setQueryData(['settings'], saved),
  });
}
