import type { CellFigures } from '../analysis/rates/types.js';
import { fleetKillsPerHour, type Advice } from '../sweep/advise.js';
import { gridSize } from '../sweep/grid.js';
import { detectionP99, totalBytesPerHour, totalPingsPerHour } from '../sweep/sweep-result.js';
import { alignColumns, bytes, durationMs, durationNs, sig3 } from './sweep-format.js';

/** `kpsim advise`: the recommendation in plain words, the settings to write, and the current setting beside it. Pure. */
export function renderAdviseText(a: Advice): string {
  const s = a.sweep;
  const c = a.constraints;
  const fleet = c.fleet;
  const lines: string[] = [];
  const row = (label: string, text: string): void => {
    lines.push(`${label.padEnd(10)}${text}`.trimEnd());
  };
  row('advise', `${s.scenario}: ${s.grid.side} keepalive, ${gridSize(s.grid)} settings (${s.grid.times.length} Time x ${s.grid.timeouts.length} Timeout), seed ${s.options.seed}, ${s.options.cycles} cycles and ${s.options.detectReplicas} dead-peer replicas each`);
  const killLimit =
    c.maxFalseKills.scope === 'fleet'
      ? `${c.maxFalseKills.text.replace(/\/fleet$/i, '')} across the fleet = ${sig3(c.maxFalseKills.perConnectionDay)}/day per connection`
      : `${c.maxFalseKills.text} per connection`;
  row('limits', `false kills at most ${killLimit}${c.maxDetectMs === undefined ? '' : `; detection p99 at most ${durationMs(c.maxDetectMs)}`}`);
  if (fleet !== undefined) row('fleet', `${fleet} connections`);
  row('meet', `${a.feasible.length} of ${gridSize(s.grid)} settings meet the limits on their estimates, ${a.confirmed.length} with the whole 95% interval within them`);
  lines.push('');
  const rec = a.recommended === undefined ? undefined : s.cells[a.recommended];
  if (rec === undefined || a.companions === undefined) {
    row('recommend', 'nothing in this grid meets the limits');
    const near = a.closest === undefined ? undefined : s.cells[a.closest];
    if (near !== undefined) {
      row('closest', `${settingText(near)}: ${figuresText(near, fleet)}`);
      row('', 'widen the grid (--time, --timeout), relax a limit, or simulate more (--cycles) to narrow the intervals');
    }
  } else {
    const side = s.grid.side === 'server' ? 'server' : 'client';
    row('recommend', `${side} keepalive ${settingText(rec)}`);
    row('', figuresText(rec, fleet));
    row('why', `the fastest detection of a dead ${side === 'server' ? 'client' : 'server'} among the ${a.confirmed.length > 0 ? 'settings confirmed to meet the limits' : 'settings that meet the limits on their estimates'}`);
    if (a.cyclesToConfirm !== undefined) {
      const more = Number.isFinite(a.cyclesToConfirm) ? `about --cycles ${a.cyclesToConfirm} would confirm it` : 'its estimate is at the limit, so no budget confirms it';
      row('caveat', `not confirmed: its 95% interval reaches ${sig3(rec.falseKills.ci95[1])}/day, above the limit of ${sig3(c.maxFalseKills.perConnectionDay)}/day; ${more}`);
    }
    lines.push('');
    const k = a.companions;
    row('server', `keepalive.ServerParameters{Time: ${durationNs(k.server.time)}, Timeout: ${durationNs(k.server.timeout)}}`);
    row('policy', `keepalive.EnforcementPolicy{MinTime: ${durationNs(k.enforcement.minTime)}, PermitWithoutStream: ${k.enforcement.permitWithoutStream}}`);
    row('client', k.client.time === undefined ? 'keepalive off (no ClientParameters.Time)' : `keepalive.ClientParameters{Time: ${durationNs(k.client.time)}, Timeout: ${durationNs(k.client.timeout)}, PermitWithoutStream: ${k.client.permitWithoutStream}}`);
    for (const n of k.notes) row('note', n);
  }
  lines.push('');
  if (a.current === undefined) row('current', 'client keepalive is off in the scenario: nothing to compare');
  else {
    row('current', `${settingText(a.current)}: ${figuresText(a.current, fleet)}`);
    if (rec !== undefined) row('', compare(a.current, rec, fleet));
  }
  const others = a.feasibleFront.filter((i) => i !== a.recommended).slice(0, 5);
  if (others.length > 0) {
    lines.push('');
    row('also', `other Pareto-optimal settings ${a.confirmed.length > 0 ? 'confirmed to meet' : 'meeting'} the limits (${others.length} of ${a.feasibleFront.length - 1}):`);
    const rows: string[][] = [['Time', 'Timeout', 'false kills/day', '95% interval', ...(fleet === undefined ? [] : ['fleet/hour']), 'detect p99', 'PINGs/h']];
    for (const i of others) {
      const o = s.cells[i];
      if (o === undefined) continue;
      const fk = o.falseKills;
      rows.push([durationNs(o.setting.time), durationNs(o.setting.timeout), sig3(fk.perDay), `[${sig3(fk.ci95[0])}, ${sig3(fk.ci95[1])}]`, ...(fleet === undefined ? [] : [sig3(fleetKillsPerHour(o, fleet))]), durationMs(detectionP99(o)), sig3(totalPingsPerHour(o))]);
    }
    for (const l of alignColumns(rows, 0)) row('', l);
  }
  return `${lines.join('\n')}\n`;
}

function settingText(c: CellFigures): string {
  return `Time ${durationNs(c.setting.time)}, Timeout ${durationNs(c.setting.timeout)}`;
}

function figuresText(c: CellFigures, fleet: number | undefined): string {
  const fk = c.falseKills;
  const fleetText = fleet === undefined ? '' : `, ${sig3(fleetKillsPerHour(c, fleet))}/hour across ${fleet} connections`;
  return `${sig3(fk.perDay)} false kills/day [${sig3(fk.ci95[0])}, ${sig3(fk.ci95[1])}] (${fk.method})${fleetText}; dead peer found in ${durationMs(detectionP99(c))} (p99), ${durationMs(c.detection.p50Ms)} median; ${sig3(totalPingsPerHour(c))} PINGs/hour (${bytes(totalBytesPerHour(c))}/hour)`;
}

function compare(cur: CellFigures, rec: CellFigures, fleet: number | undefined): string {
  const a = cur.falseKills.perDay;
  const b = rec.falseKills.perDay;
  const kills = a === b ? 'the same false kills' : b === 0 ? `no false kills seen instead of ${sig3(a)}/day` : a > b ? `${sig3(a / b)}x fewer false kills` : `${sig3(b / a)}x more false kills`;
  const fleetText = fleet === undefined ? '' : ` (${sig3(fleetKillsPerHour(cur, fleet))} -> ${sig3(fleetKillsPerHour(rec, fleet))} per hour across the fleet)`;
  return `the recommendation gives ${kills}${fleetText}, detection p99 ${durationMs(detectionP99(cur))} -> ${durationMs(detectionP99(rec))}, PINGs/hour ${sig3(totalPingsPerHour(cur))} -> ${sig3(totalPingsPerHour(rec))}`;
}
