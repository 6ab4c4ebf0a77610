// One Apache ECharts chart in a React box: only the chart types and components the reports use are registered,
// so the reports chunk carries a fraction of ECharts; the chart describes itself to screen readers (aria).
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// SVG, not canvas: sharp at any zoom and in screenshots, and light enough for report-sized data.
use([
  BarChart,
  LineChart,
  HeatmapChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export function EChart({ option, label, height = 360 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init>>(undefined);
  useEffect(() => {
    if (!box.current) return;
    chart.current = init(box.current, undefined, { renderer: 'svg' });
    const resize = new ResizeObserver(() => chart.current?.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    // notMerge: a new range replaces the chart's series instead of mixing with the old ones.
    chart.current?.setOption(
      { aria: { enabled: true, label: { description: label } }, animation: false, ...option },
      { notMerge: true },
    );
  }, [option, label]);
  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} data-testid="report-chart" />;
}
