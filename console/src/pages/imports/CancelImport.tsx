// Stop an uploaded file's import while it runs: asked once more, because what is applied stays and the rest never is.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMay } from '../../auth/caller.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { type ImportProgress, isRunning, useCancelImport } from './queries.js';

export function CancelImport({ progress }: { progress: ImportProgress }) {
  const { t } = useTranslation();
  const may = useMay('profiles:import');
  const cancel = useCancelImport(progress.job.id);
  const [asking, setAsking] = useState(false);
  if (!may || !isRunning(progress.state)) return cancel.error ? <ApiErrorAlert error={cancel.error} /> : null;
  return (
    <>
      <Group>
        <Button variant="outline" color="red" onClick={() => setAsking(true)}>
          {t('import.cancel.button')}
        </Button>
      </Group>
      <ApiErrorAlert error={cancel.error} />
      <Modal
        opened={asking}
        onClose={() => setAsking(false)}
        title={t('import.cancel.confirmTitle')}
        closeButtonProps={{ 'aria-label': t('import.cancel.keep') }}
      >
        <Stack>
          <Text size="sm">
            {t(progress.job.dryRun ? 'import.cancel.confirmDry' : 'import.cancel.confirm', {
              applied: progress.chunks,
            })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t('import.cancel.keep')}
            </Button>
            <Button
              color="red.8"
              loading={cancel.isPending}
              onClick={() => cancel.mutate(undefined, { onSettled: () => setAsking(false) })}
            >
              {t('import.cancel.stop')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
