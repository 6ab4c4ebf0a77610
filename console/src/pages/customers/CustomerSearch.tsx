// Find a customer by user id, e-mail or phone: the form at the top of every customer page.
import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { answer, type Schemas } from '../../api/client.js';
import { useApi } from '../../auth/session.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';

type Address = { email: string } | { phone: string };

/**
 * What the marketer typed, read as an address when it looks like one. A phone number is digits with the
 * separators people type (010-1234-5678, +82 10 1234 5678); anything else is a user id.
 */
export function addressIn(text: string): Address | undefined {
  if (text.includes('@')) return { email: text };
  if (/^\+?[\d\s\-().]{8,}$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 8) return { phone: text };
  return undefined;
}

const customerPath = (userId: string) => `/customers/${encodeURIComponent(userId)}`;

export function CustomerSearch({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const api = useApi();
  const [text, setText] = useState(initial);
  const find = useMutation({
    mutationFn: (address: Address) =>
      answer(api.GET('/admin/v1/profiles', { params: { query: address } })).then((r) => r.customers),
    onSuccess: (customers) => {
      const only = customers.length === 1 ? customers[0] : undefined;
      if (only?.userId) navigate(customerPath(only.userId));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = text.trim();
    if (!typed) return;
    const address = addressIn(typed);
    if (address) find.mutate(address);
    else {
      find.reset();
      navigate(customerPath(typed));
    }
  };
  const typed = text.trim();
  return (
    <Stack gap="sm">
      <form onSubmit={submit} role="search" aria-label={t('customers.searchLabel')}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('customers.userId')}
            placeholder={t('customers.userIdPlaceholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 200, maxWidth: 420 }}
          />
          <Button type="submit" loading={find.isPending}>
            {t('customers.find')}
          </Button>
        </Group>
      </form>
      <ApiErrorAlert error={find.error} />
      {find.data && find.data.length === 0 && (
        <Text size="sm" data-testid="no-match">
          {t('customers.noMatch', { address: find.variables && Object.values(find.variables)[0] })}{' '}
          {'phone' in (find.variables ?? {}) && (
            <Anchor component={Link} to={customerPath(typed)}>
              {t('customers.openAsUserId', { userId: typed })}
            </Anchor>
          )}
        </Text>
      )}
      {find.data && (find.data.length > 1 || (find.data.length === 1 && !find.data[0]?.userId)) && (
        <Matches customers={find.data} />
      )}
    </Stack>
  );
}

function Matches({ customers }: { customers: Schemas['CustomerMatch'][] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm">{t('customers.several', { count: customers.length })}</Text>
      <Table striped withTableBorder data-testid="customer-matches">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customers.userIdColumn')}</Table.Th>
            <Table.Th>{t('customers.name')}</Table.Th>
            <Table.Th>{t('customers.email')}</Table.Th>
            <Table.Th>{t('customers.phone')}</Table.Th>
            <Table.Th>{t('customers.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((c) => (
            <Table.Tr key={c.userKey}>
              <Table.Td>
                {c.userId ? (
                  <Anchor component={Link} to={customerPath(c.userId)}>
                    {c.userId}
                  </Anchor>
                ) : (
                  <Badge variant="light" color="gray">
                    {t('customers.anonymous')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{c.name ?? ''}</Table.Td>
              <Table.Td>{c.email ?? ''}</Table.Td>
              <Table.Td>{c.phone ?? ''}</Table.Td>
              <Table.Td>{new Date(c.updatedAt).toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
