// Customers: find one by user id.
import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CustomerSearch } from './CustomerSearch.js';

export default function CustomersPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('customers.title')}</Title>
      <Text c="dimmed">{t('customers.intro')}</Text>
      <CustomerSearch />
    </Stack>
  );
}
