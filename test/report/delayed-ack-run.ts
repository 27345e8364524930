import { parseScenario } from '../../src/scenario/load.js';
import { runScenario, type RunResult } from '../../src/sim/world.js';

/**
 * The seed incident in miniature: server keepalive Time 60s / Timeout 5s, one client stream
 * opened at 0 with one message at 0, and the first keepalive PING ACK held 6 s on its way back.
 * The server pings at 60.030s (lastRead 0.030s + 60s) and closes at 65.030s.
 */
export function delayedAckRun(overrides: { readonly timeout?: string; readonly seed?: number } = {}): RunResult {
  const scenario = parseScenario(
    {
      name: 'delayed-ack',
      description: 'A keepalive PING ACK held 6 s against a 5 s Timeout.',
      horizon: '3m',
      server: { keepalive: { time: '60s', timeout: overrides.timeout ?? '5s' } },
      client: {},
      // The foundation's scripted network: exact frame timing, no TCP lines in between.
      network: { model: 'scripted' },
      workload: [{ type: 'stream', at: '0s', client: { every: '10m', size: 200, first: '0s' } }],
      faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: '6s' }],
    },
    'test:delayed-ack',
  );
  return runScenario(scenario, overrides.seed === undefined ? {} : { seed: overrides.seed });
}

/** A client pinging every 10 s against the default MinTime of 5m: too_many_pings on the third strike. */
export function tooManyPingsRun(): RunResult {
  const scenario = parseScenario(
    {
      name: 'eager-client',
      horizon: '5m',
      server: {},
      client: { keepalive: { time: '10s', timeout: '20s' } },
      workload: [{ type: 'stream', at: '0s' }],
    },
    'test:eager-client',
  );
  return runScenario(scenario);
}
