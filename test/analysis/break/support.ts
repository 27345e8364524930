import { applyOverrides, parseScenario } from '../../../src/scenario/load.js';
import { BUILTIN_SCENARIOS } from '../../../src/scenario/builtins.js';
import type { Scenario, ScenarioInput } from '../../../src/scenario/schema.js';

export const MS = 1_000_000;
export const S = 1_000_000_000;

/** A built-in scenario, optionally with `--set` style overrides and fields replaced. */
export function builtin(name: string, sets: readonly string[] = [], patch: Partial<ScenarioInput> = {}): Scenario {
  const input = BUILTIN_SCENARIOS[name];
  if (input === undefined) throw new Error(`no builtin ${name}`);
  return parseScenario({ ...(applyOverrides(input, sets) as ScenarioInput), ...patch }, name);
}

/** seed-flaw with a client that writes one message every second from `first` on (horizon 3 min). */
export function seedFlawChatty(first: string, sets: readonly string[] = []): Scenario {
  return builtin('seed-flaw', ['horizon=3m', ...sets], { workload: [{ type: 'stream', at: '0s', client: { every: '1s', size: 200, first } }] });
}

/**
 * A transfer in flight at the first keepalive PING: the server streams a message every 500 ms to
 * a client whose large static window sends no WINDOW_UPDATE or BDP PING back, so the server reads
 * nothing for Time and pings while its DATA is on the wire.
 */
export function serverStreaming(): Scenario {
  return parseScenario(
    {
      name: 'server-streaming',
      horizon: '1m',
      server: { version: '1.83.1', keepalive: { time: '10s', timeout: '5s' } },
      client: { window: { stream: 16777216, connection: 16777216 } },
      network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
      workload: [{ type: 'stream', at: '0s', server: { every: '500ms', size: 1000, first: '1s' } }],
    },
    'server-streaming',
  );
}
