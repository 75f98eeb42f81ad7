/**
 * Bar charts drawn by uPlot: a 24-hour sparkline for list rows and an hourly histogram
 * with a time axis, a tooltip (hour and count) and keyboard access (arrow keys move
 * across the bars while the chart has focus).
 *
 * Colours, fonts and sizes come from the design tokens: hidden probe elements carry the
 * tokens as CSS, and their computed values are handed to uPlot (a canvas cannot read
 * custom properties). The chart is rebuilt when the theme changes.
 *
 * With only a few non-zero values (one event), bars would be lone full-height ticks:
 * such a chart draws a dot with its count at each of them instead.
 */
import uPlot from "uplot";
import { Show, createEffect, createSignal, on, onCleanup, onMount } from "solid-js";
import { cx } from "../lib/cx";
import { resolvedTheme } from "../lib/theme";
import styles from "./BarChart.module.css";

export interface BarChartProps {
  values: number[];
  variant: "sparkline" | "histogram";
  /** Quiet bars (resolved or ignored issues). */
  quiet?: boolean;
  /** Names the chart for assistive technology (say what it shows and its total). */
  label: string;
  /** Time of the first bar (ms) and the bar width (ms): the histogram's time axis. */
  start?: number;
  step?: number;
  /** The tooltip of a bar (histogram). */
  tooltip?: (index: number, value: number) => string;
  class?: string;
}

interface Palette {
  bar: string;
  quiet: string;
  baseline: string;
  axis: string;
  grid: string;
  cursor: string;
  font: string;
}

export function BarChart(props: BarChartProps) {
  let root!: HTMLDivElement;
  let plotHost!: HTMLDivElement;
  let probeBar!: HTMLSpanElement;
  let probeQuiet!: HTMLSpanElement;
  let probeBaseline!: HTMLSpanElement;
  let probeAxis!: HTMLSpanElement;
  let probeGrid!: HTMLSpanElement;
  let probeCursor!: HTMLSpanElement;
  let tip: HTMLDivElement | undefined;
  let plot: uPlot | undefined;
  let observer: ResizeObserver | undefined;

  const [hover, setHover] = createSignal<number | null>(null);
  const histogram = () => props.variant === "histogram";

  const palette = (): Palette => {
    const axis = getComputedStyle(probeAxis);
    return {
      bar: getComputedStyle(probeBar).color,
      quiet: getComputedStyle(probeQuiet).color,
      baseline: getComputedStyle(probeBaseline).color,
      axis: axis.color,
      grid: getComputedStyle(probeGrid).color,
      cursor: getComputedStyle(probeCursor).backgroundColor,
      font: `${axis.fontSize} ${axis.fontFamily}`,
    };
  };

  const xs = (): number[] => {
    const n = props.values.length;
    if (props.start !== undefined && props.step !== undefined) {
      return Array.from({ length: n }, (_, i) => (props.start! + i * props.step!) / 1000);
    }
    return Array.from({ length: n }, (_, i) => i);
  };

  const data = (): uPlot.AlignedData => [xs(), props.values.slice()];

  /** A few events: dots with their counts read better than bars. */
  const SPARSE_AT_MOST = 3;
  const isSparse = () => {
    const n = props.values.filter((v) => v > 0).length;
    return n > 0 && n <= SPARSE_AT_MOST;
  };
  let sparse = false;

  const size = () => ({ width: Math.max(1, plotHost.clientWidth), height: Math.max(1, plotHost.clientHeight) });

  const build = () => {
    plot?.destroy();
    sparse = isSparse();
    const p = palette();
    const timeAxis = props.start !== undefined && props.step !== undefined;
    const half = timeAxis ? props.step! / 2000 : 0.5;
    const barColor = props.quiet ? p.quiet : p.bar;
    const drawBaseline = (u: uPlot) => {
      const ctx = u.ctx;
      const y = Math.round(u.bbox.top + u.bbox.height) - 0.5;
      ctx.save();
      ctx.strokeStyle = p.baseline;
      ctx.lineWidth = Math.max(1, Math.round(devicePixelRatio));
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      ctx.restore();
    };
    const drawDots = (u: uPlot) => {
      if (!sparse) return;
      const ctx = u.ctx;
      const r = Math.max(2, Math.round((histogram() ? 4 : 2.5) * devicePixelRatio));
      ctx.save();
      ctx.fillStyle = barColor;
      ctx.font = p.font.replace(/^([\d.]+)px/, (_m, px: string) => `${Math.round(Number(px) * devicePixelRatio)}px`);
      ctx.textBaseline = "middle";
      (u.data[1] ?? []).forEach((v, i) => {
        if (!v) return;
        const x = u.valToPos(u.data[0][i]!, "x", true);
        const top = u.bbox.top + r;
        const y = Math.max(top, Math.min(u.valToPos(v, "y", true), u.bbox.top + u.bbox.height - r));
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
        const text = v.toLocaleString();
        const width = ctx.measureText(text).width;
        const gap = r * 1.5;
        // The count beside its dot, on the side with room.
        ctx.textAlign = x + gap + width <= u.bbox.left + u.bbox.width ? "left" : "right";
        ctx.fillText(text, ctx.textAlign === "left" ? x + gap : x - gap, y);
      });
      ctx.restore();
    };
    const opts: uPlot.Options = {
      ...size(),
      padding: histogram() ? [8, 8, 0, 0] : [1, 0, 0, 0],
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      cursor: histogram()
        ? {
            x: false,
            y: false,
            points: { show: false },
            drag: { x: false, y: false, setScale: false },
          }
        : { show: false },
      scales: {
        x: {
          time: timeAxis,
          range: (_u, min, max) => [min - half, max + half],
        },
        y: {
          range: (_u, _min, max) => [0, Math.max(1, max) * (sparse ? 1.6 : histogram() ? 1.1 : 1)],
        },
      },
      axes: histogram()
        ? [
            {
              stroke: p.axis,
              font: p.font,
              grid: { show: false },
              ticks: { stroke: p.grid, width: 1, size: 4 },
              space: 64,
            },
            {
              stroke: p.axis,
              font: p.font,
              grid: { stroke: p.grid, width: 1 },
              ticks: { show: false },
              size: 40,
              space: 28,
              incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000],
              values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? v.toLocaleString() : "")),
            },
          ]
        : [{ show: false }, { show: false }],
      series: [
        {},
        {
          stroke: barColor,
          fill: barColor,
          width: 0,
          points: { show: false },
          paths: sparse ? () => null : uPlot.paths.bars!({ size: [histogram() ? 0.75 : 0.7, Infinity], align: 0, gap: 1 }),
        },
      ],
      hooks: {
        drawClear: [
          (u: uPlot) => {
            const idx = hover();
            if (idx === null || !histogram()) return;
            const x = u.data[0][idx];
            if (x === undefined) return;
            const left = u.valToPos(x - half, "x", true);
            const right = u.valToPos(x + half, "x", true);
            u.ctx.save();
            u.ctx.fillStyle = p.cursor;
            u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
            u.ctx.restore();
          },
        ],
        draw: [drawBaseline, drawDots],
        setCursor: [
          (u: uPlot) => {
            if (!histogram()) return;
            const idx = u.cursor.idx;
            if (idx === null || idx === undefined || (u.cursor.left ?? -1) < 0) {
              if (document.activeElement !== root) setHover(null);
              return;
            }
            setHover(idx);
          },
        ],
      },
    };
    plot = new uPlot(opts, data(), plotHost);
  };

  onMount(() => {
    build();
    if (histogram()) {
      observer = new ResizeObserver(() => {
        if (plot) plot.setSize(size());
      });
      observer.observe(plotHost);
    }
  });

  createEffect(
    on(
      // Values may be updated in place (a store): compare what they say.
      () => props.values.join(","),
      () => {
        if (!plot) return;
        // Between a few events and many, the chart changes form: rebuild it.
        if (isSparse() !== sparse) build();
        else plot.setData(data());
      },
      { defer: true },
    ),
  );

  // The theme's attribute lands on <html> right after the signal changes: read the new
  // colours once it is there.
  createEffect(
    on(
      [resolvedTheme, () => props.quiet],
      () =>
        queueMicrotask(() => {
          if (plot) build();
        }),
      { defer: true },
    ),
  );

  // Redraw the hovered bar's highlight and move the tooltip.
  createEffect(
    on(hover, (idx) => {
      if (!plot || !histogram()) return;
      plot.redraw(false, false);
      if (idx === null || !tip) return;
      const x = plot.data[0][idx];
      if (x === undefined) return;
      const el = tip;
      const left = plot.valToPos(x, "x") + plot.over.offsetLeft;
      // Keep the tooltip inside the chart at both ends.
      queueMicrotask(() => {
        const half = el.offsetWidth / 2;
        const clamped = Math.min(Math.max(left, half), Math.max(half, root.clientWidth - half));
        el.style.setProperty("--tip-x", `${Math.round(clamped)}px`);
      });
    }),
  );

  onCleanup(() => {
    observer?.disconnect();
    plot?.destroy();
    plot = undefined;
  });

  const onKeyDown = (e: KeyboardEvent) => {
    if (!histogram()) return;
    const n = props.values.length;
    if (n === 0) return;
    const current = hover() ?? n - 1;
    let next: number | null = null;
    if (e.key === "ArrowLeft") next = Math.max(0, current - 1);
    else if (e.key === "ArrowRight") next = Math.min(n - 1, current + 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = n - 1;
    else if (e.key === "PageUp") next = Math.max(0, current - 24);
    else if (e.key === "PageDown") next = Math.min(n - 1, current + 24);
    if (next === null) return;
    e.preventDefault();
    setHover(next);
  };

  const tipText = () => {
    const idx = hover();
    if (idx === null) return "";
    return props.tooltip?.(idx, props.values[idx] ?? 0) ?? String(props.values[idx] ?? 0);
  };

  return (
    <div class={cx(styles.chart, histogram() ? styles.histogram : styles.sparkline, props.class)}>
      <div
        ref={root}
        class={styles.plotFrame}
        role="img"
        aria-label={props.label}
        tabIndex={histogram() ? 0 : undefined}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (histogram() && hover() === null) setHover(Math.max(0, props.values.length - 1));
        }}
        onBlur={() => setHover(null)}
        onMouseLeave={() => {
          if (document.activeElement !== root) setHover(null);
        }}
      >
        <div ref={plotHost} class={styles.plot} />
      </div>
      <span ref={probeBar} class={styles.probeBar} aria-hidden="true" />
      <span ref={probeQuiet} class={styles.probeQuiet} aria-hidden="true" />
      <span ref={probeBaseline} class={styles.probeBaseline} aria-hidden="true" />
      <span ref={probeAxis} class={styles.probeAxis} aria-hidden="true" />
      <span ref={probeGrid} class={styles.probeGrid} aria-hidden="true" />
      <span ref={probeCursor} class={styles.probeCursor} aria-hidden="true" />
      <Show when={histogram()}>
        <div ref={tip} class={styles.tip} role="status" aria-live="polite" data-visible={hover() !== null ? "" : undefined}>
          {tipText()}
        </div>
      </Show>
    </div>
  );
}
