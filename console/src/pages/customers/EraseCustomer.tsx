// Erasure from the console: typed confirmation (an erasure cannot be undone), then the record of what went where.
import { Alert, Button, Card, List, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';

/** Erases the customer; the page stops reading them once this succeeds. */
export function useErasure(userId: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<Schemas['Erasure'] | undefined> => {
      const erased = await answer(api.DELETE('/admin/v1/profiles/{userId}', { params: { path: { userId } } }));
      if (!erased.erasureId) return undefined;
      return answer(api.GET('/admin/v1/erasures/{id}', { params: { path: { id: erased.erasureId } } }));
    },
    // The profile, its events and messages are gone: the page must not show them from the cache.
    onSuccess: () => queries.removeQueries({ queryKey: ['profile', userId] }),
  });
}

export function EraseCustomer({ userId, erasure }: { userId: string; erasure: ReturnType<typeof useErasure> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const record = erasure.data;

  return (
    <Card withBorder component="section" aria-labelledby="erase-title">
      <Title order={2} size="h3" id="erase-title">
        {t('erase.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('erase.intro')}
      </Text>
      {erasure.isSuccess ? (
        <Stack gap="xs" data-testid="erasure-record">
          <Alert color="green" title={t('erase.done', { userId })}>
            {record ? t('erase.recordId', { id: record.id }) : t('erase.nothing')}
          </Alert>
          {record && (
            <>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('erase.where')}</Table.Th>
                    <Table.Th>{t('erase.removed')}</Table.Th>
                    <Table.Th>{t('erase.when')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {record.steps.map((step) => (
                    <Table.Tr key={step.where} data-where={step.where}>
                      <Table.Td>{step.where}</Table.Td>
                      <Table.Td>{step.pending ? t('erase.pending') : step.removed}</Table.Td>
                      <Table.Td>{new Date(step.at).toLocaleString()}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="sm" fw={600}>
                {t('erase.kept')}
              </Text>
              <List size="sm">
                {record.kept.map((kept) => (
                  <List.Item key={kept}>{kept}</List.Item>
                ))}
              </List>
            </>
          )}
        </Stack>
      ) : (
        <Button color="red" variant="outline" onClick={() => setOpen(true)}>
          {t('erase.button')}
        </Button>
      )}
      <ApiErrorAlert error={erasure.error} />
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('erase.confirmTitle', { userId })}
        data-testid="erase-dialog"
        closeButtonProps={{ 'aria-label': t('erase.cancel') }}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (typed !== userId) return;
            setOpen(false);
            erasure.mutate();
          }}
        >
          <Stack>
            <Text size="sm">{t('erase.confirmText')}</Text>
            <TextInput
              label={t('erase.typeId', { userId })}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
            />
            <Button type="submit" color="red" disabled={typed !== userId} loading={erasure.isPending}>
              {t('erase.confirm')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}
