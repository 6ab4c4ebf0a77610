// The profile at a glance: channels, consent with dates, commerce, predictions, RFM, lifecycle and traits.
import { Badge, Card, Code, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { useFormat } from '../../components/format.js';

type Profile = Schemas['Profile'];
const CONSENT_CHANNELS = ['email', 'push', 'sms', 'kakao', 'advertising', 'nightAdvertising'] as const;

function Facts({ label, rows }: { label: string; rows: [string, ReactNode][] }) {
  return (
    <Table aria-label={label} withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" fw={500} c="dimmed" w="45%">
              {name}
            </Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function ProfileCards({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const f = useFormat();
  const c = profile.computed;
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md">
      <Section title={t('profile.channels')}>
        <Facts
          label={t('profile.channels')}
          rows={[
            [t('profile.email'), profile.channels.email ?? '—'],
            [t('profile.phone'), profile.channels.phone ?? '—'],
            [t('profile.pushTokens'), profile.channels.push.map((p) => p.platform).join(', ') || '—'],
            [t('profile.timezone'), profile.timezone ?? '—'],
            [t('profile.locale'), profile.locale ?? '—'],
          ]}
        />
      </Section>
      <Section title={t('profile.consent')}>
        <Facts
          label={t('profile.consent')}
          rows={CONSENT_CHANNELS.map((channel) => {
            const consent = profile.consent[channel];
            return [
              t(`consent.${channel}`),
              consent ? (
                <span key="value">
                  <Badge color={consent.granted ? 'green' : 'red'} variant="dot" mr={6}>
                    {consent.granted ? t('consent.granted') : t('consent.refused')}
                  </Badge>
                  <Text span size="xs" c="dimmed">
                    {f.dateTime(consent.at)}
                  </Text>
                </span>
              ) : (
                <Text key="value" span size="sm" c="dimmed">
                  {t('consent.unknown')}
                </Text>
              ),
            ];
          })}
        />
      </Section>
      <Section title={t('profile.commerce')}>
        <Facts
          label={t('profile.commerce')}
          rows={[
            [t('profile.orders'), f.number(c.orders)],
            [t('profile.revenue'), f.money(c.revenue)],
            [t('profile.aov'), f.money(c.averageOrderValue)],
            [t('profile.firstOrderAt'), f.dateTime(c.firstOrderAt)],
            [t('profile.lastOrderAt'), f.dateTime(c.lastOrderAt)],
            [t('profile.lastViewed'), c.lastViewedProduct?.name ?? c.lastViewedProduct?.productId ?? '—'],
            [t('profile.cart'), c.cart.items.length ? t('profile.cartItems', { count: c.cart.items.length }) : '—'],
          ]}
        />
      </Section>
      <Section title={t('profile.lifecycleAndRfm')}>
        <Facts
          label={t('profile.lifecycleAndRfm')}
          rows={[
            [
              t('profile.lifecycle'),
              profile.lifecycle ? t(`lifecycle.${profile.lifecycle}`) : t('profile.notComputed'),
            ],
            [t('profile.rfmSegment'), profile.rfm?.segment ?? t('profile.notComputed')],
            [
              t('profile.rfmScores'),
              profile.rfm ? `R ${profile.rfm.r} · F ${profile.rfm.f} · M ${profile.rfm.m}` : '—',
            ],
            [t('profile.firstSeen'), f.dateTime(c.firstSeen)],
            [t('profile.lastSeen'), f.dateTime(c.lastSeen)],
            [t('profile.analyticsAt'), f.dateTime(profile.analyticsAt)],
          ]}
        />
      </Section>
      <Section title={t('profile.predictions')}>
        <Facts
          label={t('profile.predictions')}
          rows={[
            [t('profile.clv'), f.money(profile.predicted?.clv)],
            [t('profile.pAlive'), f.percent(profile.predicted?.pAlive)],
            [t('profile.expectedOrders'), f.number(profile.predicted?.expectedOrders, 2)],
            [t('profile.nextOrderAt'), f.dateTime(profile.predicted?.nextOrderAt)],
            [t('profile.bestHour'), profile.bestHour === undefined ? '—' : `${profile.bestHour}:00`],
            [
              t('profile.purchaseCycle'),
              profile.purchaseCycleDays === undefined ? '—' : t('profile.days', { count: profile.purchaseCycleDays }),
            ],
          ]}
        />
      </Section>
      <Section title={t('profile.traits')}>
        {Object.keys(profile.traits).length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('profile.noTraits')}
          </Text>
        ) : (
          <Facts
            label={t('profile.traits')}
            rows={Object.entries(profile.traits).map(([name, value]) => [
              name,
              typeof value === 'object' ? <Code key="value">{JSON.stringify(value)}</Code> : String(value),
            ])}
          />
        )}
      </Section>
    </SimpleGrid>
  );
}
