import type { RunResult } from '../sim/world.js';
import { formatDuration } from '../time/duration.js';
import { FAMILIES } from '../analysis/break/families.js';
import type { BreakResult } from '../analysis/break/search.js';

/**
 * A `findBreakThreshold` result as plain text: the family and what its size means, the anchor,
 * the threshold with its witness and the surviving size with its run, the closed form and whether
 * the search agrees with it. Pure: the CLI prints it.
 */
export function renderBreakResult(r: BreakResult): string {
  const size = (x: number): string => (r.unit === 'ns' ? `${formatDuration(x)} (${x} ns)` : `${x}`);
  const lines: string[] = [];
  const row = (label: string, text: string): void => {
    lines.push(`${label.padEnd(10)}${text}`);
  };
  const sc = (r.kills ? r.witness : r.pass).scenario;
  row('break', `${r.fault} on ${sc.name}: ${FAMILIES[r.fault].meaning}`);
  row('', "the scenario's own faults are set aside: the family is measured alone on its settings, network and workload");
  row('anchor', `the server's first keepalive PING at ${formatDuration(r.anchor.firstPingAt)}; its ACK was read ${formatDuration(r.anchor.baselineRoundTrip)} later in the baseline run`);
  if (r.kills) {
    row('threshold', `${size(r.threshold)}: the smallest size that kills`);
    row('witness', outcomeText(r.witness));
    row('survives', `${size(r.lastSurviving)}: ${outcomeText(r.pass)}`);
  } else {
    row('threshold', `none: nothing up to ${size(r.largestTried)} kills`);
    row('largest', outcomeText(r.pass));
  }
  if (r.exact === null) {
    row('closed', `no closed form here: ${r.exactNote}`);
  } else {
    const verdict = r.kills && r.threshold === r.exact ? 'the search agrees' : 'the search DISAGREES';
    row('closed', `${size(r.exact)} = ${r.exactNote}; ${verdict}`);
  }
  row('runs', `${r.runs} simulations (${r.probes.length} in the probe and bisection)`);
  return lines.join('\n');
}

function outcomeText(run: RunResult): string {
  const o = run.outcome;
  if (!o.closed) return `not closed within the ${formatDuration(run.scenario.horizon)} horizon`;
  return `closed by the ${o.closedBy ?? '?'} at ${formatDuration(o.closedAt ?? 0)} (${o.cause ?? '?'}: ${o.reason ?? ''})`;
}
