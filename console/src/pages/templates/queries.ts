// Templates' data: the list, one template, saving it, its preview for a chosen customer, and a test send.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type Template = Schemas['Template'];
export type Channel = Template['channel'];
export type RenderedMessage = Schemas['RenderedMessage'];
export type PreviewFor = { userId?: string; variant?: string; category: 'marketing' | 'transactional' };

export function useTemplates() {
  const api = useApi();
  return useQuery({ queryKey: ['templates'], queryFn: () => answer(api.GET('/admin/v1/templates')) });
}

export function useTemplate(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['template', id],
    queryFn: () => answer(api.GET('/admin/v1/templates/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
}

/** Creates the template, or replaces it when it exists already (`existing`). */
export function useSaveTemplate(existing: boolean) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (template: Template) =>
      answer(
        existing
          ? api.PUT('/admin/v1/templates/{id}', { params: { path: { id: template.id } }, body: template })
          : api.POST('/admin/v1/templates', { body: template }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['template', saved.id], saved);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['templates'] }),
        queryClient.invalidateQueries({ queryKey: ['template-preview', saved.id] }),
      ]);
    },
  });
}

/**
 * The saved template rendered by the API for one customer and variant, compliance text included. `revision`
 * (the saved template itself) is in the key, so each save renders again.
 */
export function useTemplatePreview(id: string | undefined, revision: unknown, target: PreviewFor) {
  const api = useApi();
  return useQuery({
    queryKey: ['template-preview', id, revision, target],
    queryFn: () =>
      answer(
        api.POST('/admin/v1/templates/{id}/preview', {
          params: { path: { id: id! } },
          body: { userId: target.userId || undefined, variant: target.variant, category: target.category },
        }),
      ),
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useTemplateTestSend(id: string) {
  const api = useApi();
  return useMutation({
    mutationFn: ({ to, userId, variant, category }: PreviewFor & { to: string }) =>
      answer(
        api.POST('/admin/v1/templates/{id}/test-send', {
          params: { path: { id } },
          body: { to, userId: userId || undefined, variant, category },
        }),
      ),
  });
}
