// Loyalty points: a customer's balance, tier and ledger (every earning with its expiry, every spend), and an adjustment.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { Figure } from '../../components/Figure.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { useMay } from '../../auth/caller.js';
import { type PointsEntry, useAdjustPoints, usePoints } from './queries.js';

const loyaltyPath = (userId: string) => `/offers/loyalty/${encodeURIComponent(userId)}`;

export default function LoyaltyPage() {
  const userId = useParams().userId;
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t('loyalty.title')}</Title>
      <Text c="dimmed">{t('loyalty.intro')}</Text>
      <FindCustomer key={userId} initial={userId ?? ''} />
      {userId ? <Ledger key={userId} userId={userId} /> : null}
    </Stack>
  );
}

function FindCustomer({ initial }: { initial: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) navigate(loyaltyPath(text.trim()));
  };
  return (
    <form onSubmit={submit} role="search" aria-label={t('loyalty.find')}>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('loyalty.userId')}
          placeholder="user-1042"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200, maxWidth: 420 }}
        />
        <Button type="submit">{t('loyalty.show')}</Button>
      </Group>
    </form>
  );
}

function Ledger({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const points = usePoints(userId);
  const mayAdjust = useMay('loyalty:adjust');
  if (points.isPending) return <PageLoading />;
  if (points.error) return <ApiErrorAlert error={points.error} />;
  const view = points.data;
  // Newest first: what support asks about is what just happened.
  const entries = [...view.entries].reverse();
  return (
    <Stack>
      <Group gap="sm" align="center">
        <Title order={2}>{userId}</Title>
        {view.tier && (
          <Badge variant="light" data-testid="tier">
            {view.tier}
          </Badge>
        )}
        <Anchor component={Link} to={`/customers/${encodeURIComponent(userId)}`} size="sm">
          {t('loyalty.profile')}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="points-figures">
        <Figure label={t('loyalty.balance')} value={format.number(view.points)} />
        <Figure
          label={t('loyalty.tier')}
          value={view.tier ? `${view.tier} · ${t('loyalty.since', { at: format.dateTime(view.tierSince) })}` : '—'}
        />
        <Figure label={t('loyalty.revenue12m')} value={format.money(view.revenue12m)} />
      </SimpleGrid>
      <Card withBorder component="section" aria-labelledby="ledger-title">
        <Title order={3} id="ledger-title">
          {t('loyalty.ledger')}
        </Title>
        {view.condensed > 0 && (
          <Text size="sm" c="dimmed">
            {t('loyalty.condensed', { count: view.condensed })}
          </Text>
        )}
        {entries.length === 0 ? (
          <Text c="dimmed" mt="sm">
            {t('loyalty.noEntries')}
          </Text>
        ) : (
          <WideTable label={t('loyalty.ledger')} minWidth={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('loyalty.at')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('loyalty.points')}
                </Table.Th>
                <Table.Th scope="col">{t('loyalty.reason')}</Table.Th>
                <Table.Th scope="col">{t('loyalty.source')}</Table.Th>
                <Table.Th scope="col">{t('loyalty.expires')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('loyalty.left')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <EntryRow key={`${entry.at}:${entry.source}:${entry.points}:${entry.reason}`} entry={entry} />
              ))}
            </Table.Tbody>
          </WideTable>
        )}
      </Card>
      {mayAdjust && <AdjustPoints userId={userId} />}
      {mayAdjust === false && (
        <Text size="sm" c="dimmed" data-testid="read-only">
          {t('loyalty.readOnly')}
        </Text>
      )}
    </Stack>
  );
}

function EntryRow({ entry }: { entry: PointsEntry }) {
  const { t } = useTranslation();
  const format = useFormat();
  const signed = entry.points > 0 ? `+${format.number(entry.points)}` : format.number(entry.points);
  return (
    <Table.Tr data-source={entry.source}>
      <Table.Td>{format.dateTime(entry.at)}</Table.Td>
      <Table.Td ta="right" fw={600} c={entry.points < 0 ? 'red.8' : entry.points > 0 ? 'teal.9' : undefined}>
        {signed}
      </Table.Td>
      <Table.Td>
        {entry.reason}
        {entry.refused && (
          <Text size="xs" c="red.8">
            {t('loyalty.refused', { why: entry.refused })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {entry.source}
        </Text>
      </Table.Td>
      <Table.Td>{entry.expiresAt ? format.dateTime(entry.expiresAt) : '—'}</Table.Td>
      <Table.Td ta="right">{entry.remaining === undefined ? '—' : format.number(entry.remaining)}</Table.Td>
    </Table.Tr>
  );
}

/** A fresh idempotency key per adjustment: the API applies one source once, so a double submit moves nothing twice. */
const newSource = () => `console:${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

function AdjustPoints({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const adjust = useAdjustPoints(userId);
  const [points, setPoints] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const [source, setSource] = useState(newSource);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    adjust.mutate(
      { points: Number(points), reason, source },
      {
        onSuccess: () => {
          setPoints('');
          setReason('');
          setSource(newSource());
        },
      },
    );
  };
  return (
    <Card withBorder component="section" aria-labelledby="adjust-title">
      <Title order={3} id="adjust-title">
        {t('loyalty.adjust')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('loyalty.adjustHelp')}
      </Text>
      <form onSubmit={submit} aria-labelledby="adjust-title">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm">
            <NumberInput
              label={t('loyalty.adjustPoints')}
              value={points}
              onChange={setPoints}
              allowDecimal={false}
              style={{ width: 160 }}
            />
            <TextInput
              label={t('loyalty.reason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Button type="submit" loading={adjust.isPending}>
              {t('loyalty.apply')}
            </Button>
          </Group>
          <ApiErrorAlert error={adjust.error} title={t('loyalty.adjustRefused')} />
          {adjust.data && (
            <Text size="sm" role="status" data-testid="adjusted">
              {t(`loyalty.outcome.${adjust.data.outcome}`)}
            </Text>
          )}
        </Stack>
      </form>
    </Card>
  );
}
