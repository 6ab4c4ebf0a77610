// Import customers: a CSV or a Pinpoint endpoint export uploaded, followed step by step (and stopped if need be),
// then its report; a dry run first, then the same file for real; the latest imports below.
import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { CancelImport } from './CancelImport.js';
import { EarlierImports } from './EarlierImports.js';
import { ImportForm } from './ImportForm.js';
import { ImportResult } from './ImportResult.js';
import { ImportSteps } from './ImportSteps.js';
import { type ImportOptions, isFinished, UploadRefused, useImportProgress, useStartImport } from './queries.js';

export default function ImportPage() {
  const { t } = useTranslation();
  const start = useStartImport();
  const progress = useImportProgress(start.data?.id);
  const run = start.variables;
  const state = progress.data?.state;
  const busy = start.isPending || (start.isSuccess && !isFinished(state));
  const begin = (file: File, options: ImportOptions) => start.mutate({ file, options });
  const dryRunDone = state === 'done' && progress.data?.job.dryRun;
  const queryClient = useQueryClient();
  // The latest imports below show the job this page follows as it moves on, not as it was when it started.
  useEffect(() => {
    if (state) void queryClient.invalidateQueries({ queryKey: ['imports'] });
  }, [state, queryClient]);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{t('import.title')}</Title>
        <Anchor component={Link} to="/customers" size="sm">
          {t('import.backToCustomers')}
        </Anchor>
      </Group>
      <Text c="dimmed">{t('import.intro')}</Text>
      <ImportForm busy={busy} onStart={begin} />
      {run && (start.isPending || start.isSuccess) && (
        <ImportSteps progress={start.isSuccess ? progress.data : undefined} />
      )}
      {start.error instanceof UploadRefused ? (
        <Alert
          color="red"
          title={t('import.uploadRefused', { status: start.error.status })}
          role="alert"
          data-testid="api-error"
        >
          <Text size="sm">{start.error.text}</Text>
        </Alert>
      ) : (
        <ApiErrorAlert error={start.error ?? progress.error} />
      )}
      {dryRunDone && run && (
        <Card withBorder bg="indigo.0" data-testid="import-for-real">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{t('import.forRealHelp', { file: run.file.name })}</Text>
            <Button onClick={() => begin(run.file, { ...run.options, dryRun: false })}>{t('import.forReal')}</Button>
          </Group>
        </Card>
      )}
      {progress.data && start.isSuccess && <CancelImport progress={progress.data} />}
      {progress.data && start.isSuccess && <ImportResult progress={progress.data} />}
      <EarlierImports />
    </Stack>
  );
}
