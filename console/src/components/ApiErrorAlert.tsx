// An API refusal shown in the API's own words: its code, its message and the field it concerns.
import { Alert, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiRefusal } from '../api/client.js';

export function ApiErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const refusal = error instanceof ApiRefusal ? error : undefined;
  return (
    <Alert color="red" title={title ?? t('error.title')} role="alert" data-testid="api-error">
      {refusal ? (
        <>
          <Text size="sm">
            <Code>{refusal.code}</Code> {refusal.message}
          </Text>
          {refusal.field && (
            <Text size="sm" mt={4}>
              {t('error.field')}: <Code>{refusal.field}</Code>
            </Text>
          )}
        </>
      ) : (
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
      )}
    </Alert>
  );
}
