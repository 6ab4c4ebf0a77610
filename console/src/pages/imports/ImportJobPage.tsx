// One import found again (from the list of the latest, or a link): its steps, a stop while it runs, its report.
import { Anchor, Group, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { CancelImport } from './CancelImport.js';
import { ImportResult } from './ImportResult.js';
import { ImportSteps } from './ImportSteps.js';
import { useImportProgress } from './queries.js';

export default function ImportJobPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const progress = useImportProgress(id);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{t('import.job.title')}</Title>
        <Anchor component={Link} to="/customers/import" size="sm">
          {t('import.job.back')}
        </Anchor>
      </Group>
      {progress.isPending ? (
        <PageLoading />
      ) : progress.error ? (
        <ApiErrorAlert error={progress.error} />
      ) : (
        <>
          <ImportSteps progress={progress.data} />
          <CancelImport progress={progress.data} />
          <ImportResult progress={progress.data} />
        </>
      )}
    </Stack>
  );
}
