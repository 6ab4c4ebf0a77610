// Find a customer by user id: the form at the top of every customer page.
import { Button, Group, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export function CustomerSearch({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [userId, setUserId] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (userId.trim()) navigate(`/customers/${encodeURIComponent(userId.trim())}`);
  };
  return (
    <form onSubmit={submit} role="search" aria-label={t('customers.searchLabel')}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('customers.userId')}
          placeholder={t('customers.userIdPlaceholder')}
          value={userId}
          onChange={(e) => setUserId(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200, maxWidth: 420 }}
        />
        <Button type="submit">{t('customers.find')}</Button>
      </Group>
    </form>
  );
}
