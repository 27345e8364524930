import type { HuntResult } from '../analysis/hunt.js';
import { formatDuration } from '../time/duration.js';
import { renderTextTimeline } from './text-timeline.js';

/** The `kpsim hunt` report for people: what was searched, what killed, and the timeline that proves it. */
export function renderHuntText(h: HuntResult, name: string, savedTo: string | undefined): string {
  const c = h.constraints;
  const lines = [
    `hunt      ${name}: up to ${c.maxFaults ?? 3} fault(s) holding frames up by at most ${formatDuration(c.maxDelay)} in all (TCP backoff counted as on a steady link), around the first keepalive PING at ${formatDuration(c.anchor)}`,
    `search    seed ${h.seed}, ${h.runs} fault timeline(s) tried${h.found ? `, then ${h.shrinks} run(s) to shrink the kill` : ''}`,
  ];
  const ce = h.counterexample;
  if (!h.found || ce === undefined) {
    lines.push('result    no kill found: every timeline left the connection alive');
    return `${lines.join('\n')}\n`;
  }
  lines.push('result    found a kill of a live connection; the smallest story:');
  for (const s of ce.story) lines.push(`          - ${s}`);
  if (savedTo !== undefined) lines.push(`saved     ${savedTo} (replay it with: kpsim run ${savedTo})`);
  lines.push('', renderTextTimeline(ce.result));
  return `${lines.join('\n')}\n`;
}
