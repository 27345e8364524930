import { describe, expect, it } from 'vitest';
import { renderSweepCsv, SWEEP_CSV_COLUMNS } from '../../src/report/sweep-csv.js';
import { renderSweepHtml } from '../../src/report/sweep-html.js';
import { sweepJson } from '../../src/report/sweep-json.js';
import { renderSweepSvg } from '../../src/report/sweep-svg.js';
import { renderSweepTable } from '../../src/report/sweep-table.js';
import { totalPingsPerHour } from '../../src/sweep/sweep-result.js';
import { sampleSweep } from './sample-sweep.js';
import { checkXml } from './xml-check.js';

const { result } = sampleSweep();

/** RFC 4180 reader: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('sweep renderers', () => {
  it('CSV parses back to the same numbers as the cells, in grid order', () => {
    const rows = parseCsv(renderSweepCsv(result));
    expect(rows[0]).toEqual([...SWEEP_CSV_COLUMNS]);
    expect(rows).toHaveLength(result.cells.length + 1);
    result.cells.forEach((c, i) => {
      const r = Object.fromEntries(SWEEP_CSV_COLUMNS.map((k, j) => [k, rows[i + 1]?.[j]]));
      expect(Number(r['time_ms'])).toBe(c.setting.time / 1e6);
      expect(Number(r['timeout_ms'])).toBe(c.setting.timeout / 1e6);
      expect(Number(r['false_kills_per_day'])).toBe(c.falseKills.perDay);
      expect([Number(r['false_kills_per_day_ci_low']), Number(r['false_kills_per_day_ci_high'])]).toEqual(c.falseKills.ci95);
      expect(Number(r['detect_p99_ms'])).toBe(c.detection.p99Ms);
      expect(Number(r['pings_per_hour'])).toBe(totalPingsPerHour(c));
      expect(r['method']).toBe(c.falseKills.method);
      expect(r['pareto']).toBe(result.front.includes(i) ? 'yes' : 'no');
    });
  });

  it('JSON has the figures the issue asks for, per cell', () => {
    const j = JSON.parse(JSON.stringify(sweepJson(result))) as { cells: Record<string, unknown>[] };
    expect(j.cells).toHaveLength(result.cells.length);
    const c0 = result.cells[0];
    expect(j.cells[0]).toMatchObject({
      timeMs: 10_000,
      timeoutMs: 1000,
      falseKillsPerDay: c0?.falseKills.perDay,
      falseKillsPerDayCI: c0?.falseKills.ci95,
      detectMs: { p50: c0?.detection.p50Ms, p99: c0?.detection.p99Ms, max: c0?.detection.maxMs },
      pingsPerHour: 360,
      method: 'monte-carlo',
    });
  });

  it('SVG is well-formed XML with one rect per cell and one dot per Pareto-optimal cell', () => {
    for (const metric of ['false-kills', 'detect-p99', 'pings'] as const) {
      const svg = renderSweepSvg(result, { metric });
      const names = checkXml(svg);
      expect(names[0]).toBe('svg');
      expect(names.filter((n) => n === 'rect')).toHaveLength(result.cells.length);
      expect(names.filter((n) => n === 'circle')).toHaveLength(result.front.length);
      expect(svg.match(/class="contour"/g)?.length ?? 0).toBe(metric === 'false-kills' ? svg.match(/data-level-ms=/g)?.length : 0);
    }
    // Detection p99 here runs from 10.8s to 3m59s: the false-kills map has contour lines.
    expect(renderSweepSvg(result, { metric: 'false-kills' })).toMatch(/class="contour" data-level-ms="60000"/);
  });

  it('draws a one-cell sweep too: well-formed, one rect, no contours', () => {
    const one = sampleSweep('seed-flaw', '30s', '5s').result;
    const names = checkXml(renderSweepSvg(one, { metric: 'false-kills' }));
    expect(names.filter((n) => n === 'rect')).toHaveLength(1);
    expect(names.filter((n) => n === 'path').length).toBeGreaterThan(0);
    expect(renderSweepSvg(one, { metric: 'false-kills' })).not.toContain('class="contour"');
  });

  it('colours on a log scale: a cell ten times another is a different colour, equal cells the same', () => {
    const svg = renderSweepSvg(result, { metric: 'pings' });
    const fills = [...svg.matchAll(/<rect class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    // Pings depend on Time only: cells of one row share a colour, rows differ.
    const cols = result.grid.timeouts.length;
    for (let i = 0; i < fills.length; i++) expect(fills[i]).toBe(fills[i - (i % cols)]);
    expect(new Set(fills).size).toBe(result.grid.times.length);
  });

  it('HTML is one self-contained page: no external URL, inline SVG heatmaps, the front and the scenario', () => {
    const html = renderSweepHtml(result);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('<title>kpsim sweep: seed-flaw (server keepalive)</title>');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<rect class="cell"/g)).toHaveLength(3 * result.cells.length);
    expect(html.match(/<table class="front">[\s\S]*?<\/table>/)?.[0].match(/<tr>/g)).toHaveLength(result.front.length + 1);
    expect(html).toContain('&quot;name&quot;: &quot;seed-flaw&quot;');
  });

  it('the table has a header and one row per cell, * on the front', () => {
    const lines = renderSweepTable(result).trimEnd().split('\n');
    expect(lines[0]).toBe('sweep     seed-flaw: server keepalive, 6 Time x 5 Timeout = 30 settings');
    const body = lines.slice(5);
    expect(result.front.length).toBeGreaterThan(0);
    expect(result.front.length).toBeLessThan(result.cells.length);
    expect(body).toHaveLength(result.cells.length);
    body.forEach((l, i) => expect(l.startsWith('*')).toBe(result.front.includes(i)));
  });
});
