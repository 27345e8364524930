import { totalBytesPerHour, totalPingsPerHour, type SweepResult } from '../sweep/sweep-result.js';

/**
 * `kpsim sweep --csv`: RFC 4180 CSV, one header row then one row per cell in grid order. Numbers
 * are written in full (JavaScript's shortest round-trip form), so they parse back exactly.
 */
export const SWEEP_CSV_COLUMNS = [
  'side',
  'time_ms',
  'timeout_ms',
  'false_kills_per_day',
  'false_kills_per_day_ci_low',
  'false_kills_per_day_ci_high',
  'method',
  'kills',
  'exposure_days',
  'detect_p50_ms',
  'detect_p99_ms',
  'detect_max_ms',
  'undetected',
  'detect_replicas',
  'pings_per_hour',
  'bytes_per_hour',
  'pareto',
] as const;

export function renderSweepCsv(r: SweepResult): string {
  const lines = [SWEEP_CSV_COLUMNS.join(',')];
  r.cells.forEach((c, i) => {
    const row: (string | number)[] = [
      c.setting.side,
      c.setting.time / 1e6,
      c.setting.timeout / 1e6,
      c.falseKills.perDay,
      c.falseKills.ci95[0],
      c.falseKills.ci95[1],
      c.falseKills.method,
      c.falseKills.kills,
      c.falseKills.exposureDays,
      c.detection.p50Ms,
      c.detection.p99Ms,
      c.detection.maxMs,
      c.detection.undetected,
      c.detection.replicas,
      totalPingsPerHour(c),
      totalBytesPerHour(c),
      r.front.includes(i) ? 'yes' : 'no',
    ];
    lines.push(row.map(csvField).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
