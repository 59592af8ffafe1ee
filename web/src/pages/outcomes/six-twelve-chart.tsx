import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/chart.js';
import type { SixTwelve } from '../../api/types.js';

/**
 * The 6-12 chart: six weeks, a gap, twelve months on one axis; weeks on the
 * left scale, months on the right (weekly and monthly totals differ in size);
 * prior year dashed, target dotted, XmR signals as red points. Clicking a
 * point reports its period so the page can list the data points behind it.
 */
export function SixTwelveChart(props: { chart: SixTwelve; label: string; onPick?: (period: { from: string; to: string }) => void }) {
  const { chart, onPick } = props;
  const option = useMemo<ChartOption>(() => {
    const categories = [...chart.weeks.map((w) => `w ${w.period.slice(5)}`), '', ...chart.months.map((m) => m.period)];
    const gap = [null];
    const weekPad = chart.months.map(() => null);
    const monthPad = chart.weeks.map(() => null);
    const weekSignals = new Set(chart.weekly.signals.map((s) => s.period));
    const monthSignals = new Set(chart.monthly.signals.map((s) => s.period));
    const signalData = [
      ...chart.weeks.map((w) => (weekSignals.has(w.period) ? w.value : null)),
      null,
      ...chart.months.map((m) => (monthSignals.has(m.period) ? m.value : null)),
    ];
    return {
      animation: false,
      grid: { left: 56, right: 56, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['This year', 'Prior year', 'Target', 'Signal'] },
      xAxis: { type: 'category', data: categories, axisLabel: { fontSize: 10 } },
      yAxis: [
        { type: 'value', name: 'week', scale: true },
        { type: 'value', name: 'month', scale: true, splitLine: { show: false } },
      ],
      series: [
        { name: 'This year', type: 'line', data: [...chart.weeks.map((w) => w.value), ...gap, ...weekPad], connectNulls: false },
        { name: 'This year', type: 'line', yAxisIndex: 1, data: [...monthPad, ...gap, ...chart.months.map((m) => m.value)] },
        {
          name: 'Prior year',
          type: 'line',
          lineStyle: { type: 'dashed' },
          data: [...chart.weeks.map((w) => w.priorYear), ...gap, ...weekPad],
        },
        {
          name: 'Prior year',
          type: 'line',
          yAxisIndex: 1,
          lineStyle: { type: 'dashed' },
          data: [...monthPad, ...gap, ...chart.months.map((m) => m.priorYear)],
        },
        {
          name: 'Target',
          type: 'line',
          symbol: 'none',
          lineStyle: { type: 'dotted' },
          data: [...chart.weeks.map((w) => w.target), ...gap, ...weekPad],
        },
        {
          name: 'Target',
          type: 'line',
          yAxisIndex: 1,
          symbol: 'none',
          lineStyle: { type: 'dotted' },
          data: [...monthPad, ...gap, ...chart.months.map((m) => m.target)],
        },
        { name: 'Signal', type: 'scatter', symbolSize: 12, itemStyle: { color: '#cf222e' }, data: signalData.slice(0, 7) },
        {
          name: 'Signal',
          type: 'scatter',
          yAxisIndex: 1,
          symbolSize: 12,
          itemStyle: { color: '#cf222e' },
          data: [...monthPad.map(() => null), null, ...signalData.slice(7)],
        },
      ],
    };
  }, [chart]);
  const onClick = useMemo(
    () =>
      onPick &&
      ((params: { dataIndex: number }) => {
        const i = params.dataIndex;
        const point = i < chart.weeks.length ? chart.weeks[i] : chart.months[i - chart.weeks.length - 1];
        if (point) onPick({ from: point.from, to: point.to });
      }),
    [chart, onPick],
  );
  return <Chart option={option} height={240} ariaLabel={props.label} {...(onClick ? { onClick } : {})} />;
}
