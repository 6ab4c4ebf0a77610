// Approvals' data: the pending requests, the last decided ones, and approving or rejecting one with a comment.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';

export type ApprovalRequest = Schemas['ApprovalRequest'];

export function usePendingApprovals() {
  const api = useApi();
  return useQuery({
    queryKey: ['approvals', 'pending'],
    queryFn: () => answer(api.GET('/admin/v1/approvals', { params: { query: { status: 'pending' } } })),
  });
}

/** The last 100 decided (approved, rejected or voided by an edit), newest first. */
export function useDecidedApprovals() {
  const api = useApi();
  return useQuery({
    queryKey: ['approvals', 'decided'],
    queryFn: () => answer(api.GET('/admin/v1/approvals', { params: { query: { status: 'decided' } } })),
  });
}

export function useApprovalDecision() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, verdict, comment }: { id: string; verdict: 'approve' | 'reject'; comment: string }) =>
      verdict === 'approve'
        ? answer(api.POST('/admin/v1/approvals/{id}/approve', { params: { path: { id } }, body: { comment } }))
        : answer(api.POST('/admin/v1/approvals/{id}/reject', { params: { path: { id } }, body: { comment } })),
    // Approving sends or activates: what the broadcast and journey pages show has changed too.
    onSettled: () =>
      Promise.all(
        [['approvals'], ['broadcast'], ['broadcasts'], ['journey'], ['journeys']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
}
