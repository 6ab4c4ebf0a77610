// Customers: find one by user id (or bring many in from a file).
import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CustomerSearch } from './CustomerSearch.js';

export default function CustomersPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>{t('customers.title')}</Title>
        <Anchor component={Link} to="/customers/import" size="sm">
          {t('customers.importLink')}
        </Anchor>
      </Group>
      <Text c="dimmed">{t('customers.intro')}</Text>
      <CustomerSearch />
    </Stack>
  );
}
