import { BarChart, LineChart, ScatterChart, TreeChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useSyncExternalStore } from 'react';

// Register only what the dashboard draws: tree-shaking keeps the chart chunk small.
echarts.use([
  TreeChart,
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

const DARK = '(prefers-color-scheme: dark)';

/** Whether the system asks for dark mode, following changes while the page is open. */
export function usePrefersDark(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(DARK);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(DARK).matches,
  );
}

export function Chart(props: {
  option: ChartOption;
  height?: number;
  ariaLabel: string;
  onClick?: (params: { name: string; data: unknown; dataIndex: number }) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { option, onClick } = props;
  const dark = usePrefersDark();

  // Made again when the colour scheme changes: ECharts' theme is fixed at init.
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The container's width, not only the window's, decides the chart's (a sidebar folding, a panel wrapping).
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    // The page's own background shows through in either scheme.
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, true);
  }, [option, dark]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClick) return;
    instance.on('click', onClick as (params: unknown) => void);
    return () => {
      instance.off('click');
    };
  }, [onClick, dark]);

  return <div ref={element} role="img" aria-label={props.ariaLabel} style={{ width: '100%', height: props.height ?? 320 }} />;
}
