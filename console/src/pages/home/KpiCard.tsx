// One number of the last days with its trend against the days before, in words as well as an arrow.
import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type KpiKind = 'count' | 'rate' | 'money';

/**
 * `lowerIsBetter`: a rise is bad news (negative reactions), so it is coloured red. Rates move in percentage
 * points, counts and money by a relative change: "open rate up 2 pt", "sent up 12 %".
 */
export function KpiCard(props: {
  id: string;
  label: string;
  help?: string;
  value: string;
  current: number | null;
  previous: number | null;
  kind: KpiKind;
  days: number;
  lowerIsBetter?: boolean;
  locale: string;
}) {
  const { t } = useTranslation();
  const { current, previous, kind } = props;
  let trend: { text: string; direction: 'up' | 'down' | 'flat' | 'none' };
  if (current === null || previous === null || (kind !== 'rate' && previous === 0)) {
    trend = { text: t('home.trendNone'), direction: 'none' };
  } else {
    const change = kind === 'rate' ? (current - previous) * 100 : (current - previous) / previous;
    const size =
      kind === 'rate'
        ? t('home.points', {
            value: new Intl.NumberFormat(props.locale, { maximumFractionDigits: 1 }).format(Math.abs(change)),
          })
        : new Intl.NumberFormat(props.locale, { style: 'percent', maximumFractionDigits: 1 }).format(Math.abs(change));
    const direction = Math.abs(change) < 1e-9 ? 'flat' : change > 0 ? 'up' : 'down';
    const key = direction === 'flat' ? 'home.trendFlat' : direction === 'up' ? 'home.trendUp' : 'home.trendDown';
    trend = { text: t(key, { change: size, days: props.days }), direction };
  }
  const good = trend.direction === (props.lowerIsBetter ? 'down' : 'up');
  const bad = trend.direction === (props.lowerIsBetter ? 'up' : 'down');
  const arrow = { up: '▲', down: '▼', flat: '=', none: '·' }[trend.direction];
  return (
    <Paper withBorder p="md" radius="md" data-testid={`kpi-${props.id}`} data-trend={trend.direction}>
      <Text size="sm" c="dimmed" component="h3" fw={500} m={0}>
        {props.label}
      </Text>
      <Text fz={28} fw={700} data-testid="kpi-value">
        {props.value}
      </Text>
      {props.help && (
        <Text size="xs" c="dimmed">
          {props.help}
        </Text>
      )}
      <Group gap={4} mt={4} wrap="nowrap">
        <Text size="sm" c={good ? 'green.9' : bad ? 'red.9' : 'dimmed'} aria-hidden>
          {arrow}
        </Text>
        <Text size="sm" c={good ? 'green.9' : bad ? 'red.9' : 'dimmed'} data-testid="kpi-trend">
          {trend.text}
        </Text>
      </Group>
    </Paper>
  );
}
