import { gridSize } from '../sweep/grid.js';
import { totalBytesPerHour, totalPingsPerHour, type SweepResult } from '../sweep/sweep-result.js';
import { bytes, durationMs, durationNs, sig3 } from './sweep-format.js';
import { renderSweepSvg } from './sweep-svg.js';
import { escapeXml } from './sweep-xml-escape.js';

/**
 * `kpsim sweep --html FILE`: one self-contained page (no scripts, fonts, images or styles fetched
 * from anywhere): the run's parameters, the heatmaps as inline SVG (false kills with detection
 * contours, detection p99, PINGs/hour), the Pareto front as a table, and the scenario. Pure.
 */
export function renderSweepHtml(r: SweepResult): string {
  const g = r.grid;
  const title = `kpsim sweep: ${r.scenario} (${g.side} keepalive)`;
  const params: [string, string][] = [
    ['scenario', r.scenario],
    ['side', `${g.side} keepalive (${g.side === 'server' ? 'ServerParameters' : 'ClientParameters'}.Time and .Timeout)`],
    ['grid', `${g.times.length} Time x ${g.timeouts.length} Timeout = ${gridSize(g)} settings`],
    ['Time', g.times.map(durationNs).join(', ')],
    ['Timeout', g.timeouts.map(durationNs).join(', ')],
    ['seed', String(r.options.seed)],
    ['budget', `${r.options.cycles} keepalive cycles and ${r.options.detectReplicas} dead-peer replicas per setting`],
  ];
  const svg = (metric: 'false-kills' | 'detect-p99' | 'pings'): string => renderSweepSvg(r, { metric, standalone: false });
  const frontRows = r.front.map((i) => {
    const c = r.cells[i];
    if (c === undefined) return '';
    const d = c.detection;
    return `<tr><td>${escapeXml(durationNs(c.setting.time))}</td><td>${escapeXml(durationNs(c.setting.timeout))}</td><td>${sig3(c.falseKills.perDay)}</td><td>[${sig3(c.falseKills.ci95[0])}, ${sig3(c.falseKills.ci95[1])}]</td><td>${escapeXml(c.falseKills.method)}</td><td>${escapeXml(durationMs(d.p50Ms))}</td><td>${escapeXml(durationMs(d.p99Ms))}</td><td>${escapeXml(durationMs(d.maxMs))}</td><td>${sig3(totalPingsPerHour(c))}</td><td>${escapeXml(bytes(totalBytesPerHour(c)))}</td></tr>`;
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
th { background: #f2f2f2; }
table.params td { text-align: left; }
figure { margin: 0 0 1.5em; }
pre { background: #f7f7f7; padding: 0.8em; overflow: auto; max-height: 30em; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<h2>Parameters</h2>
<table class="params">
${params.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`).join('\n')}
</table>
<h2>False kills per connection-day</h2>
<p>Closes of connections whose peer was alive. Log colour scale; dashed lines are contours of dead-peer detection p99; cells with a white dot are Pareto-optimal (fewest false kills, fastest detection, fewest PINGs).</p>
<figure id="heatmap-false-kills">
${svg('false-kills')}</figure>
<h2>Dead-peer detection p99</h2>
<figure id="heatmap-detect-p99">
${svg('detect-p99')}</figure>
<h2>Keepalive PINGs per connection-hour</h2>
<figure id="heatmap-pings">
${svg('pings')}</figure>
<h2>Pareto front (${r.front.length} settings)</h2>
<table class="front">
<tr><th>Time</th><th>Timeout</th><th>false kills/day</th><th>95% interval</th><th>method</th><th>detect p50</th><th>p99</th><th>max</th><th>PINGs/h</th><th>bytes/h</th></tr>
${frontRows.join('\n')}
</table>
<h2>Scenario</h2>
<pre>${escapeXml(JSON.stringify(r.scenarioInput, null, 2))}</pre>
</body>
</html>
`;
}
