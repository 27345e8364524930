import type { CellFigures } from '../analysis/rates/types.js';
import { gridSize } from '../sweep/grid.js';
import { totalBytesPerHour, totalPingsPerHour, type SweepResult } from '../sweep/sweep-result.js';
import { SECOND } from '../time/units.js';
import { alignColumns, bytes, durationMs, durationNs, sig3 } from './sweep-format.js';

/**
 * `kpsim sweep` default output: a header naming the run, then one row per cell in grid order,
 * with `*` on the Pareto-optimal settings. Pure.
 */
export function renderSweepTable(r: SweepResult): string {
  const g = r.grid;
  const head = [
    `sweep     ${r.scenario}: ${g.side} keepalive, ${g.times.length} Time x ${g.timeouts.length} Timeout = ${gridSize(g)} settings`,
    `budget    seed ${r.options.seed}, ${r.options.cycles} keepalive cycles and ${r.options.detectReplicas} dead-peer replicas per setting`,
    `front     * marks the ${r.front.length} Pareto-optimal setting${r.front.length === 1 ? "" : "s"} (fewest false kills/day, fastest detection p99, fewest PINGs/hour)`,
  ];
  const floor = g.side === 'client' ? 10 * SECOND : SECOND;
  if ((g.times[0] ?? floor) < floor) head.push(`note      grpc-go raises a ${g.side} Time below ${durationNs(floor)} to ${durationNs(floor)}: those rows behave as ${durationNs(floor)}`);
  head.push('');
  const rows: string[][] = [['', 'Time', 'Timeout', 'false kills/day', '95% interval', 'method', 'detect p50', 'p99', 'max', 'PINGs/h', 'bytes/h']];
  r.cells.forEach((c, i) => rows.push(cellRow(c, r.front.includes(i))));
  return `${[...head, ...alignColumns(rows, 1)].join('\n')}\n`;
}

function cellRow(c: CellFigures, onFront: boolean): string[] {
  const d = c.detection;
  const p99 = durationMs(d.p99Ms) + (d.undetected > 0 ? ` (${d.undetected}/${d.replicas} undetected)` : '');
  return [
    onFront ? '*' : '',
    durationNs(c.setting.time),
    durationNs(c.setting.timeout),
    sig3(c.falseKills.perDay),
    `[${sig3(c.falseKills.ci95[0])}, ${sig3(c.falseKills.ci95[1])}]`,
    c.falseKills.method,
    durationMs(d.p50Ms),
    p99,
    durationMs(d.maxMs),
    sig3(totalPingsPerHour(c)),
    bytes(totalBytesPerHour(c)),
  ];
}
