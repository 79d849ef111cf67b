// A live line chart of one listener's rates over the last minute: bytes/s (left axis) and
// frames/s (right axis), in and out, drawn by uPlot from the stats store.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes, formatClock } from './dom';
import type { StatsMessage } from './api';
import type { StatsStore } from './stores';

export const WINDOW_SECONDS = 60;

/** uPlot's columns: time (s), bytes in/s, bytes out/s, frames in/s, frames out/s. */
export function chartData(samples: readonly StatsMessage[]): uPlot.AlignedData {
  const t: number[] = [];
  const bi: number[] = [];
  const bo: number[] = [];
  const fi: number[] = [];
  const fo: number[] = [];
  for (const s of samples) {
    t.push(Date.parse(s.time) / 1000);
    bi.push(s.bytesInPerSec);
    bo.push(s.bytesOutPerSec);
    fi.push(s.framesInPerSec);
    fo.push(s.framesOutPerSec);
  }
  return [t, bi, bo, fi, fo];
}

export class RateChart {
  private readonly plot: uPlot;
  private readonly off: () => void;
  private readonly resize: ResizeObserver | null = null;

  constructor(
    readonly container: HTMLElement,
    readonly stats: StatsStore,
    readonly id: string,
    height = 150,
  ) {
    const opts: uPlot.Options = {
      width: Math.max(300, container.clientWidth),
      height,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: true,
          range: (_u, _min, max) => {
            const end = Number.isFinite(max) && max > 0 ? max : Date.now() / 1000;
            return [end - WINDOW_SECONDS, end];
          },
        },
        bytes: { range: (_u, _min, max) => [0, Math.max(1024, max * 1.1)] },
        frames: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] },
      },
      series: [
        {},
        { label: 'B/s in', scale: 'bytes', stroke: '#2563eb', width: 2, value: (_u, v) => rate(v) },
        { label: 'B/s out', scale: 'bytes', stroke: '#059669', width: 2, value: (_u, v) => rate(v) },
        { label: 'frames/s in', scale: 'frames', stroke: '#7c3aed', width: 1.5, dash: [5, 4] },
        { label: 'frames/s out', scale: 'frames', stroke: '#d97706', width: 1.5, dash: [5, 4] },
      ],
      axes: [
        {
          stroke: '#5b6473',
          grid: { stroke: '#eef0f4' },
          space: 70,
          values: (_u, splits) => splits.map((v) => formatClock(new Date(v * 1000).toISOString())),
        },
        {
          scale: 'bytes',
          stroke: '#5b6473',
          grid: { stroke: '#eef0f4' },
          size: 70,
          values: (_u, splits) => splits.map((v) => `${formatBytes(v)}/s`),
        },
        { scale: 'frames', side: 1, stroke: '#5b6473', grid: { show: false }, size: 50 },
      ],
    };
    this.plot = new uPlot(opts, chartData(stats.history(id)), container);
    this.off = stats.subscribe((changed) => {
      if (changed === id) {
        this.plot.setData(chartData(stats.history(id)));
      }
    });
    if (typeof ResizeObserver !== 'undefined') {
      this.resize = new ResizeObserver(() => {
        const width = Math.max(300, container.clientWidth);
        if (width !== this.plot.width) {
          this.plot.setSize({ width, height });
        }
      });
      this.resize.observe(container);
    }
  }

  destroy(): void {
    this.off();
    this.resize?.disconnect();
    this.plot.destroy();
  }
}

function rate(v: number | null): string {
  return v === null ? '–' : `${formatBytes(v)}/s`;
}
