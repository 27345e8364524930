import { describe, expect, it } from 'vitest';
import { renderJsonLines } from '../../src/report/jsonl.js';
import { summaryJson } from '../../src/report/summary-json.js';
import { renderTextTimeline } from '../../src/report/text-timeline.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';

// grpc-go's public API raises Time below its floors and says so in its log (server.go
// KeepaliveParams: 1s; dialoptions.go WithKeepaliveParams: 10s, Time 0 included). The texts were
// checked against a real grpc-go 1.33.3 by the oracle case keepalive-time-clamped.
const scenario = (server: object, client: object) =>
  parseScenario({ name: 'clamp', horizon: '3s', server: { keepalive: server }, client: { keepalive: client }, workload: [{ type: 'stream', at: '0s' }] }, 'test');

describe('keepalive clamp warnings', () => {
  it('are data of the run, in the --json summary, the JSON-lines header and the timeline', () => {
    const r = runScenario(scenario({ time: '500ms' }, { time: '5s' }));
    expect(r.serverConfig.time).toBe(1e9);
    expect(r.clientConfig.time).toBe(10e9);
    expect(summaryJson(r).warnings).toEqual([
      { side: 'server', requestedMs: 500, appliedMs: 1000, log: 'Adjusting keepalive ping interval to minimum period of 1s', source: 'server.go KeepaliveParams', printedWith: 'GRPC_GO_LOG_SEVERITY_LEVEL=warning (or info)' },
      { side: 'client', requestedMs: 5000, appliedMs: 10000, log: 'Adjusting keepalive ping interval to minimum period of 10s', source: 'dialoptions.go WithKeepaliveParams', printedWith: 'GRPC_GO_LOG_SEVERITY_LEVEL=warning (or info)' },
    ]);
    const header = JSON.parse(renderJsonLines(r).split('\n')[0] as string) as { warnings: { side: string }[] };
    expect(header.warnings.map((w) => w.side)).toEqual(['server', 'client']);
    const text = renderTextTimeline(r);
    expect(text).toMatch(/^warnings +server: Time 500ms, raised to 1s/m);
    expect(text).toContain('client  grpc-go log WARNING: Adjusting keepalive ping interval to minimum period of 10s');
  });

  it('name an unset client Time: WithKeepaliveParams raises 0 to 10s too', () => {
    const r = runScenario(scenario({}, { timeout: '2s' }));
    expect(summaryJson(r).warnings).toMatchObject([{ side: 'client', requestedMs: null, appliedMs: 10000 }]);
  });

  it('are absent at or above the floors, and with clamping off', () => {
    expect(summaryJson(runScenario(scenario({ time: '1s' }, { time: '10s' }))).warnings).toEqual([]);
    const off = runScenario(scenario({ time: '500ms' }, { time: '5s' }), { clamp: false });
    expect(off.serverConfig.time).toBe(500e6);
    expect(summaryJson(off).warnings).toEqual([]);
  });
});
