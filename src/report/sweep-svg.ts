import type { CellFigures } from '../analysis/rates/types.js';
import { cellPosition, type Grid } from '../sweep/grid.js';
import { detectionP99, totalPingsPerHour, type SweepResult } from '../sweep/sweep-result.js';
import { logScale, rampColour, ZERO_COLOUR } from './sweep-colour.js';
import { contourSegments, niceDurationLevels, type Point } from './sweep-contours.js';
import { durationMs, durationNs, sig3 } from './sweep-format.js';
import { escapeXml } from './sweep-xml-escape.js';

/**
 * A sweep as an SVG heatmap: Timeout across, Time up, one `<rect class="cell">` per setting
 * coloured on a log scale, Pareto-optimal settings dotted, and (for false kills) contour lines of
 * detection latency p99. Legends use paths, not rects, so the rects are exactly the cells. Pure.
 */
export type HeatmapMetric = 'false-kills' | 'detect-p99' | 'pings';

export type HeatmapOptions = {
  readonly metric: HeatmapMetric;
  /** Draw detection-p99 contours over the map. @default true for false-kills */
  readonly contours?: boolean;
  /** A standalone file (XML declaration, xmlns) rather than an element inlined in HTML. @default true */
  readonly standalone?: boolean;
};

const METRICS: Readonly<Record<HeatmapMetric, { readonly title: string; readonly value: (c: CellFigures) => number; readonly label: (v: number) => string }>> = {
  'false-kills': { title: 'False kills per connection-day', value: (c) => c.falseKills.perDay, label: sig3 },
  'detect-p99': { title: 'Dead-peer detection p99', value: detectionP99, label: durationMs },
  pings: { title: 'Keepalive PINGs per connection-hour', value: totalPingsPerHour, label: sig3 },
};

const M = { left: 78, right: 120, top: 44, bottom: 58 } as const;

export function renderSweepSvg(r: SweepResult, o: HeatmapOptions): string {
  const g = r.grid;
  const metric = METRICS[o.metric];
  const cols = g.timeouts.length;
  const rows = g.times.length;
  const cw = clamp(Math.floor(640 / cols), 6, 56);
  const ch = clamp(Math.floor(480 / rows), 6, 40);
  const width = M.left + cols * cw + M.right;
  const height = M.top + rows * ch + M.bottom;
  const x = (col: number): number => M.left + col * cw;
  const y = (row: number): number => M.top + (rows - 1 - row) * ch;
  const values = r.cells.map(metric.value);
  const scale = logScale(values);
  const out: string[] = [];
  const standalone = o.standalone ?? true;
  if (standalone) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg${standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ''} class="heatmap" data-metric="${o.metric}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`${metric.title}: ${r.scenario}, ${g.side} keepalive`)}</title>`,
    `<text x="${M.left}" y="18" font-size="14" font-weight="bold">${escapeXml(`${metric.title}, ${g.side} Time x Timeout (${r.scenario})`)}</text>`,
  );
  r.cells.forEach((c, i) => {
    const { row, col } = cellPosition(g, i);
    const v = values[i] as number;
    const fill = v === 0 || scale === undefined ? ZERO_COLOUR : rampColour(scale.position(v));
    out.push(`<rect class="cell" x="${x(col)}" y="${y(row)}" width="${cw}" height="${ch}" fill="${fill}"><title>${escapeXml(cellTitle(c, metric.label(v)))}</title></rect>`);
  });
  for (const i of r.front) {
    const { row, col } = cellPosition(g, i);
    out.push(`<circle class="pareto" cx="${x(col) + cw / 2}" cy="${y(row) + ch / 2}" r="${Math.max(1.5, Math.min(cw, ch) / 8)}" fill="#fff" stroke="#000" stroke-width="1"/>`);
  }
  if (o.contours ?? o.metric === 'false-kills') out.push(...contours(r, g, (row, col) => ({ x: x(col) + cw / 2, y: y(row) + ch / 2 })));
  out.push(...axes(g, { x, y, cw, ch, rows, cols }));
  out.push(...legend(scale, metric.label, M.left + cols * cw + 24, M.top, Math.min(rows * ch, 300)));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function cellTitle(c: CellFigures, shown: string): string {
  const d = c.detection;
  return `Time ${durationNs(c.setting.time)}, Timeout ${durationNs(c.setting.timeout)}: ${shown}; false kills ${sig3(c.falseKills.perDay)}/day [${sig3(c.falseKills.ci95[0])}, ${sig3(c.falseKills.ci95[1])}]; detection p99 ${durationMs(d.p99Ms)}; ${sig3(totalPingsPerHour(c))} PINGs/h`;
}

function contours(r: SweepResult, g: Grid, at: (row: number, col: number) => Point): string[] {
  const z: number[][] = g.times.map(() => []);
  r.cells.forEach((c, i) => {
    const { row, col } = cellPosition(g, i);
    (z[row] as number[])[col] = detectionP99(c);
  });
  const out: string[] = [];
  for (const level of niceDurationLevels(r.cells.map(detectionP99), 5)) {
    const segs = contourSegments(z, level, at);
    if (segs.length === 0) continue;
    const d = segs.map(([a, b]) => `M${fx(a.x)} ${fx(a.y)}L${fx(b.x)} ${fx(b.y)}`).join('');
    out.push(`<path class="contour" data-level-ms="${level}" d="${d}" fill="none" stroke="#1f3b73" stroke-width="1.5" stroke-dasharray="5 3"/>`);
    const label = segs[Math.floor(segs.length / 2)]?.[0];
    if (label !== undefined) {
      out.push(`<text class="contour-label" x="${fx(label.x)}" y="${fx(label.y)}" fill="#1f3b73" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(`p99 ${durationMs(level)}`)}</text>`);
    }
  }
  return out;
}

type Layout = { x(col: number): number; y(row: number): number; readonly cw: number; readonly ch: number; readonly rows: number; readonly cols: number };

function axes(g: Grid, l: Layout): string[] {
  const out: string[] = [];
  const every = (n: number, px: number): number => Math.max(1, Math.ceil(36 / px), Math.ceil(n / 16));
  const sx = every(l.cols, l.cw);
  g.timeouts.forEach((t, col) => {
    if (col % sx !== 0) return;
    const cx = l.x(col) + l.cw / 2;
    const ty = M.top + l.rows * l.ch + 14;
    out.push(`<text x="${fx(cx)}" y="${ty}" text-anchor="middle">${escapeXml(durationNs(t))}</text>`);
  });
  const sy = every(l.rows, l.ch * 2.5);
  g.times.forEach((t, row) => {
    if (row % sy !== 0) return;
    out.push(`<text x="${M.left - 6}" y="${fx(l.y(row) + l.ch / 2 + 4)}" text-anchor="end">${escapeXml(durationNs(t))}</text>`);
  });
  out.push(`<text x="${fx(M.left + (l.cols * l.cw) / 2)}" y="${M.top + l.rows * l.ch + 40}" text-anchor="middle" font-size="12">Timeout</text>`);
  out.push(`<text x="14" y="${fx(M.top + (l.rows * l.ch) / 2)}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${fx(M.top + (l.rows * l.ch) / 2)})">Time</text>`);
  return out;
}

function legend(scale: ReturnType<typeof logScale>, label: (v: number) => string, left: number, top: number, h: number): string[] {
  const out: string[] = [`<g class="legend">`];
  const steps = 40;
  for (let k = 0; k < steps; k++) {
    const y0 = top + h - ((k + 1) * h) / steps;
    out.push(`<path d="M${left} ${fx(y0)}h14v${fx(h / steps + 0.5)}h-14z" fill="${rampColour((k + 0.5) / steps)}"/>`);
  }
  if (scale !== undefined) {
    const every = Math.max(1, Math.ceil((scale.hi - scale.lo) / 8));
    for (let e = Math.ceil(scale.lo); e <= Math.floor(scale.hi); e += every) {
      const yy = top + h - ((e - scale.lo) / (scale.hi - scale.lo)) * h;
      out.push(`<path d="M${left + 14} ${fx(yy)}h4" stroke="#000"/>`, `<text x="${left + 21}" y="${fx(yy + 4)}">${escapeXml(label(10 ** e))}</text>`);
    }
  }
  out.push(`<path d="M${left} ${top + h + 10}h14v10h-14z" fill="${ZERO_COLOUR}"/>`, `<text x="${left + 21}" y="${top + h + 19}">0 (none seen)</text>`);
  out.push(`<text x="${left}" y="${top + h + 36}">log scale</text>`, '</g>');
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function fx(v: number): string {
  return String(Math.round(v * 10) / 10);
}
