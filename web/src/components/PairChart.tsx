// Two series side by side per label (e.g. expected by today and actual, per stage), drawn by
// uPlot on a canvas. The numbers must also be on the page as a table.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { compact } from '../format';

export interface PairChartProps {
  labels: string[];
  series: [{ label: string; values: number[] }, { label: string; values: number[] }];
  summary: string;
  height?: number;
}

const COLOURS = [
  { stroke: '#8a97ad', fill: '#b8c2d3' },
  { stroke: '#2451a6', fill: '#3d6fd1' },
];

export function PairChart({ labels, series, summary, height = 240 }: PairChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([labels, series]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
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
          size: 40,
          font: '12px system-ui, sans-serif',
          grid: { show: false },
          stroke: '#3c4657',
        },
        { size: 56, stroke: '#3c4657', grid: { stroke: '#e3e7ee', width: 1 }, font: '12px system-ui, sans-serif', values: (_u, s) => s.map(compact) },
      ],
      series: [
        {},
        ...series.map((s, i) => {
          const bars = uPlot.paths.bars?.({ size: [0.35, 40], align: i === 0 ? -1 : 1 });
          return { label: s.label, ...COLOURS[i], width: 0, ...(bars ? { paths: bars } : {}), points: { show: false } };
        }),
      ],
    };
    const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - chart.width) > 2) chart.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [key, height]);
  return <div class="chart" ref={box} role="img" aria-label={summary} />;
}
