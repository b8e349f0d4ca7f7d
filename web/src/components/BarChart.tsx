// A bar chart drawn by uPlot on a canvas; sized to its container. The numbers it shows must
// also be on the page as text (a table), since a canvas says nothing to a screen reader.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compact } from '../format';

export interface BarChartProps {
  labels: string[];
  values: number[];
  summary: string; // what the chart shows, in words
  height?: number;
}

export function BarChart({ labels, values, summary, height = 220 }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars?.({ size: [0.6, 64], align: 0 });
    const width = Math.max(200, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          splits: () => xs,
          values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
          gap: 4,
          size: 64,
          rotate: 35,
          font: '12px system-ui, sans-serif',
          grid: { show: false },
          stroke: '#3c4657',
        },
        {
          size: 56,
          stroke: '#3c4657',
          grid: { stroke: '#e3e7ee', width: 1 },
          font: '12px system-ui, sans-serif',
          values: (_u, splits) => splits.map(compact),
        },
      ],
      series: [
        {},
        {
          label: 'Contacts',
          stroke: '#2451a6',
          fill: '#3d6fd1',
          width: 0,
          ...(bars ? { paths: bars } : {}),
          points: { show: false },
        },
      ],
    };
    const chart = new uPlot(opts, [xs, values], el);
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - chart.width) > 2) chart.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [labels.join('|'), values.join('|'), height]);

  return <div class="chart" ref={box} role="img" aria-label={summary} />;
}
