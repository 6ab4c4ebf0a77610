// Reports: the archive reports, one per tab, each drawn with Apache ECharts over a chosen date range, with CSV.
import { Button, Group, NativeSelect, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { FunnelChart } from './FunnelChart.js';
import { LtvCurves } from './LtvCurves.js';
import { ParetoCurve } from './ParetoCurve.js';
import { type ReportQuery, useArchiveReport, useCsvDownload } from './queries.js';
import { RepurchaseChart } from './RepurchaseChart.js';
import type {
  FunnelReport,
  LtvHistoryReport,
  ParetoReport,
  RepurchaseReport,
  ReportName,
  RetentionReport,
  RevenueTreeReport,
  RfmReport,
} from './reportShapes.js';
import { REPORTS } from './reportShapes.js';
import { RetentionHeatmap } from './RetentionHeatmap.js';
import { RevenueTree } from './RevenueTree.js';
import { RfmGrid } from './RfmGrid.js';

/** The shop's path to an order, as the synthetic shop and most shops name it; the marketer can change it. */
const DEFAULT_STEPS = 'Product Viewed,Product Added,Checkout Started,Order Completed';

export default function ReportsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { name } = useParams();
  if (!(REPORTS as readonly string[]).includes(name ?? '')) return <Navigate to="/reports/funnel" replace />;
  const report = name as ReportName;
  return (
    <Stack>
      <Title order={1}>{t('reports.title')}</Title>
      <Text c="dimmed">{t('reports.intro')}</Text>
      <Tabs value={report} onChange={(next) => next && navigate(`/reports/${next}`)} keepMounted={false}>
        <Tabs.List aria-label={t('reports.list')}>
          {REPORTS.map((r) => (
            <Tabs.Tab key={r} value={r}>
              {t(`reports.names.${r}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {REPORTS.map((r) => (
          <Tabs.Panel key={r} value={r} pt="md">
            <ReportPanel name={r} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function ReportPanel({ name }: { name: ReportName }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<ReportQuery>(() => (name === 'funnel' ? { steps: DEFAULT_STEPS } : {}));
  const [csvError, setCsvError] = useState<unknown>();
  const [downloading, setDownloading] = useState(false);
  const report = useArchiveReport<Record<string, unknown> & { from: string; to: string }>(name, query);
  const download = useCsvDownload();
  const set = (patch: ReportQuery) => setQuery((q) => ({ ...q, ...patch }));
  const saveCsv = async () => {
    setCsvError(undefined);
    setDownloading(true);
    try {
      await download(name, query);
    } catch (error) {
      setCsvError(error);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <Stack data-testid={`report-${name}`}>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          type="date"
          label={t('reports.from')}
          value={query.from ?? report.data?.from ?? ''}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('reports.to')}
          value={query.to ?? report.data?.to ?? ''}
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
        {name === 'funnel' && (
          <TextInput
            label={t('reports.funnel.steps')}
            defaultValue={query.steps}
            onBlur={(e) => set({ steps: e.currentTarget.value })}
            style={{ flex: 1, minWidth: 260 }}
          />
        )}
        {(name === 'retention' || name === 'revenue-tree') && (
          <NativeSelect
            label={t('reports.retention.period')}
            value={query.period ?? 'month'}
            onChange={(e) => set({ period: e.currentTarget.value as 'week' | 'month' })}
            data={[
              { value: 'month', label: t('reports.retention.month') },
              { value: 'week', label: t('reports.retention.week') },
            ]}
          />
        )}
        <Button variant="light" onClick={saveCsv} loading={downloading}>
          {t('reports.csv')}
        </Button>
      </Group>
      <ApiErrorAlert error={csvError} />
      {report.isPending ? (
        <PageLoading />
      ) : report.error ? (
        <ApiErrorAlert error={report.error} />
      ) : (
        <>
          <Text size="sm" c="dimmed" data-testid="report-range">
            {report.data.from} – {report.data.to}
          </Text>
          <ReportView name={name} report={report.data} />
        </>
      )}
    </Stack>
  );
}

function ReportView({ name, report }: { name: ReportName; report: unknown }) {
  const { t } = useTranslation();
  const empty = <Text c="dimmed">{t('reports.empty')}</Text>;
  switch (name) {
    case 'funnel': {
      const r = report as FunnelReport;
      return r.segments.length ? <FunnelChart report={r} /> : empty;
    }
    case 'retention': {
      const r = report as RetentionReport;
      return r.cohorts.length ? <RetentionHeatmap report={r} /> : empty;
    }
    case 'repurchase': {
      const r = report as RepurchaseReport;
      return r.buyers ? <RepurchaseChart report={r} /> : empty;
    }
    case 'pareto': {
      const r = report as ParetoReport;
      return r.curve.length ? <ParetoCurve report={r} /> : empty;
    }
    case 'revenue-tree': {
      const r = report as RevenueTreeReport;
      return r.periods.length ? <RevenueTree report={r} /> : empty;
    }
    case 'ltv-history': {
      const r = report as LtvHistoryReport;
      return r.cohorts.length ? <LtvCurves report={r} /> : empty;
    }
    case 'rfm': {
      const r = report as RfmReport;
      return r.segments.length ? <RfmGrid report={r} /> : empty;
    }
  }
}
