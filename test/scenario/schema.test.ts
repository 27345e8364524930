import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { MAX_HORIZON } from '../../src/scenario/schema.js';
import { HOUR, MILLISECOND, MINUTE, SECOND } from '../../src/time/units.js';

const SOURCE = 'test.json';
const minimal = (): Record<string, unknown> => ({ name: 't', server: {}, client: {} });
const withFields = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...minimal(), ...extra });

/** Parses `raw`, expecting a ScenarioError at `path` whose message is exactly `source: path: detail`. */
function expectProblem(raw: unknown, path: string, detail: string): ScenarioError {
  let caught: unknown;
  try {
    parseScenario(raw, SOURCE);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  const error = caught as ScenarioError;
  expect(error.path).toBe(path);
  expect(error.source).toBe(SOURCE);
  expect(error.message).toBe(`${SOURCE}: ${path === '' ? '(top level)' : path}: ${detail}`);
  return error;
}

describe('scenarioSchema: defaults', () => {
  it('fills every default into a minimal scenario', () => {
    expect(parseScenario(minimal(), SOURCE)).toEqual({
      name: 't',
      seed: 1,
      horizon: HOUR,
      tieOrder: 'reads-first',
      server: {
        version: '1.83.1',
        keepalive: {},
        enforcement: { permitWithoutStream: false },
        readerLatency: { base: 0, jitter: 0, distribution: 'uniform' },
        timerLateness: { base: 0, jitter: 0, distribution: 'uniform' },
        tcpKeepalive: 'grpc-default',
        window: {},
        kernel: { version: '6.12', hz: 250 },
      },
      client: {
        version: '1.83.1',
        readerLatency: { base: 0, jitter: 0, distribution: 'uniform' },
        timerLateness: { base: 0, jitter: 0, distribution: 'uniform' },
        tcpKeepalive: 'grpc-default',
        window: {},
        kernel: { version: '6.12', hz: 250 },
      },
      network: {
        model: 'tcp',
        clientToServer: { delay: { base: 10 * MILLISECOND, jitter: 0, distribution: 'uniform' }, loss: { kind: 'none' }, rate: undefined },
        serverToClient: { delay: { base: 10 * MILLISECOND, jitter: 0, distribution: 'uniform' }, loss: { kind: 'none' }, rate: undefined },
        tcp: { mss: 1448, retries2: 15 },
      },
      workload: [],
      faults: [],
      hunt: { maxFaults: 3 },
    });
  });

  it('parses durations to integer nanoseconds and keeps keepalive fields left out undefined', () => {
    const s = parseScenario(
      withFields({ server: { keepalive: { time: '1m30s', timeout: '250ms' }, readerLatency: '1.5µs' } }),
      SOURCE,
    );
    expect(s.server.keepalive).toEqual({ time: 90 * SECOND, timeout: 250 * MILLISECOND });
    expect(s.server.keepalive.maxConnectionIdle).toBeUndefined();
    expect(s.server.readerLatency).toEqual({ base: 1_500, jitter: 0, distribution: 'uniform' });
  });

  it('normalises "v1.60.0" to "1.60.0"', () => {
    expect(parseScenario(withFields({ server: { version: 'v1.60.0' }, client: { version: '1.61.2' } }), SOURCE).server.version).toBe('1.60.0');
  });

  it('ignores $schema but keeps it', () => {
    expect(parseScenario(withFields({ $schema: '../docs/scenario.schema.json' }), SOURCE).$schema).toBe('../docs/scenario.schema.json');
  });

  it('starts a stream\'s messages at "every" unless "first" is given', () => {
    const s = parseScenario(
      withFields({
        workload: [
          { type: 'stream', at: '1s', client: { every: '45s', size: 200 }, server: { every: '10s', size: 0, first: '0s' } },
        ],
      }),
      SOURCE,
    );
    expect(s.workload).toEqual([
      { type: 'stream', at: SECOND, client: { every: 45 * SECOND, size: 200, first: 45 * SECOND }, server: { every: 10 * SECOND, size: 0, first: 0 } },
    ]);
  });

  it('fills unary defaults', () => {
    const s = parseScenario(withFields({ workload: [{ type: 'unary', at: '1s' }] }), SOURCE);
    expect(s.workload).toEqual([
      { type: 'unary', at: SECOND, count: 1, requestSize: 100, responseSize: 100, handlerTime: MILLISECOND },
    ]);
  });

  it('fills fault defaults and accepts every fault kind', () => {
    const s = parseScenario(
      withFields({
        faults: [
          { type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', by: '6s' },
          { type: 'blackhole', direction: 'serverToClient', from: '10s', until: '20s' },
          { type: 'crash', peer: 'client', at: '30s' },
          { type: 'readerStall', peer: 'server', from: '1m', until: '2m' },
        ],
      }),
      SOURCE,
    );
    expect(s.faults).toEqual([
      { type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', nth: 1, by: 6 * SECOND },
      { type: 'blackhole', direction: 'serverToClient', from: 10 * SECOND, until: 20 * SECOND },
      { type: 'crash', peer: 'client', at: 30 * SECOND },
      { type: 'readerStall', peer: 'server', from: MINUTE, until: 2 * MINUTE },
    ]);
  });

  it('accepts a horizon of exactly 100 days', () => {
    expect(parseScenario(withFields({ horizon: '2400h' }), SOURCE).horizon).toBe(MAX_HORIZON);
  });
});

describe('scenarioSchema: each problem names its exact path', () => {
  it('missing required field', () => {
    expectProblem({ server: {}, client: {} }, 'name', 'required field is missing');
    expectProblem({ name: 't', workload: [{ type: 'stream' }] }, 'workload.0.at', 'required field is missing');
  });

  it('server and client may be left out: grpc-go defaults on both sides', () => {
    const s = parseScenario({ name: 't' }, 'f.json');
    expect(s.server.version).toBe('1.83.1');
    expect(s.client.keepalive).toBeUndefined();
  });

  it('ping filter only with PING frames; versions older than modelled are named', () => {
    expectProblem(withFields({ faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'DATA', ping: 'bdp', by: '1s' }] }), 'faults.0.ping', 'only applies to PING or PING_ACK frames, not DATA');
    expectProblem(withFields({ server: { version: '1.19.0' } }), 'server.version', 'grpc-go 1.19.0 is older than the oldest modelled release 1.20.0');
  });

  it('wrong type for a duration', () => {
    expectProblem(withFields({ server: { keepalive: { timeout: 5 } } }), 'server.keepalive.timeout', 'expected a duration string, got number 5');
  });

  it('wrong types elsewhere', () => {
    expectProblem(withFields({ name: 7 }), 'name', 'expected a string, got number 7');
    expectProblem(withFields({ seed: '1' }), 'seed', 'expected an integer, got string "1"');
    expectProblem(withFields({ client: { keepalive: { permitWithoutStream: 'yes' } } }), 'client.keepalive.permitWithoutStream', 'expected true or false, got string "yes"');
    expectProblem(withFields({ server: [] }), 'server', 'expected an object, got an array');
    expectProblem(withFields({ faults: {} }), 'faults', 'expected an array, got an object');
    expectProblem(withFields({ faults: [3] }), 'faults.0', 'expected an object, got number 3');
    expectProblem([], '', 'expected an object, got an array');
  });

  it('unknown field, with a suggestion when one is close', () => {
    expectProblem(withFields({ server: { keepalive: { timeot: '5s' } } }), 'server.keepalive', 'unknown field "timeot" (did you mean "timeout"?)');
    expectProblem(withFields({ options: {} }), '', 'unknown field "options"');
    expectProblem(
      withFields({ faults: [{ type: 'crash', peer: 'client', at: '1s', until: '2s', why: 1 }] }),
      'faults.0',
      'unknown fields "until", "why"',
    );
  });

  it('negative duration', () => {
    expectProblem(
      withFields({ faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING', by: '-1s' }] }),
      'faults.0.by',
      'expected a Go duration such as "5s" or "1m30s": negative duration "-1s"',
    );
  });

  it('unparsable duration', () => {
    expectProblem(withFields({ server: { keepalive: { time: '5 sec' } } }), 'server.keepalive.time', 'expected a Go duration such as "5s" or "1m30s": invalid duration "5 sec"');
    expectProblem(
      withFields({ network: { serverToClient: { delay: '1.5' } } }),
      'network.serverToClient.delay',
      'expected a Go duration such as "5s" or "1m30s": invalid duration "1.5" (missing unit: use ns, us, ms, s, m or h)',
    );
  });

  it('bad enum value', () => {
    expectProblem(withFields({ tieOrder: 'random' }), 'tieOrder', 'expected one of "reads-first", "timers-first", got string "random"');
    expectProblem(
      withFields({ faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PONG', by: '1s' }] }),
      'faults.0.frame',
      'expected one of "PING", "PING_ACK", "DATA", "HEADERS", "SETTINGS", "SETTINGS_ACK", "GOAWAY", "WINDOW_UPDATE", "RST_STREAM", got string "PONG"',
    );
    expectProblem(withFields({ faults: [{ type: 'crash', peer: 'proxy', at: '1s' }] }), 'faults.0.peer', 'expected one of "client", "server", got string "proxy"');
  });

  it('bad or missing discriminator', () => {
    expectProblem(withFields({ workload: [{ type: 'bidi', at: '0s' }] }), 'workload.0.type', 'expected one of "stream", "unary", got string "bidi"');
    expectProblem(withFields({ faults: [{ at: '0s' }] }), 'faults.0.type', 'required field is missing');
  });

  it('blackhole until <= from', () => {
    const fault = { type: 'blackhole', direction: 'clientToServer', from: '10s' };
    expectProblem(withFields({ faults: [{ ...fault, until: '10s' }] }), 'faults.0.until', 'expected a time after from (10s), got 10s');
    expectProblem(withFields({ faults: [{ type: 'crash', peer: 'server', at: '1s' }, { ...fault, until: '5s' }] }), 'faults.1.until', 'expected a time after from (10s), got 5s');
  });

  it('readerStall and stream windows must end after they start', () => {
    expectProblem(withFields({ faults: [{ type: 'readerStall', peer: 'client', from: '1m', until: '30s' }] }), 'faults.0.until', 'expected a time after from (1m0s), got 30s');
    expectProblem(withFields({ workload: [{ type: 'stream', at: '5s', until: '5s' }] }), 'workload.0.until', 'expected a time after at (5s), got 5s');
  });

  it('numbers out of range', () => {
    expectProblem(withFields({ seed: -1 }), 'seed', 'expected an integer >= 0, got number -1');
    expectProblem(withFields({ seed: 1.5 }), 'seed', 'expected an integer, got number 1.5');
    expectProblem(withFields({ seed: 2 ** 32 }), 'seed', 'expected an integer <= 4294967295, got number 4294967296');
    expectProblem(
      withFields({ faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING', nth: 0, by: '1s' }] }),
      'faults.0.nth',
      'expected an integer >= 1, got number 0',
    );
    expectProblem(withFields({ name: '' }), 'name', 'expected a non-empty string, got string ""');
  });

  it('zero period, over-long horizon, count without period', () => {
    expectProblem(withFields({ workload: [{ type: 'stream', at: '0s', server: { every: '0s', size: 1 } }] }), 'workload.0.server.every', 'expected a duration greater than 0, got 0s');
    expectProblem(withFields({ horizon: '2400h1ns' }), 'horizon', 'expected at most 2400h0m0s (the longest horizon), got 2400h0m0.000000001s');
    expectProblem(withFields({ workload: [{ type: 'unary', at: '0s', count: 3 }] }), 'workload.0.every', 'required when "count" is more than 1 (count is 3)');
  });

  it('bad version', () => {
    expectProblem(withFields({ client: { version: '1.83' } }), 'client.version', 'expected a grpc-go version such as "1.83.1" or "v1.83.1", got string "1.83"');
  });

  it('reports the first problem and counts the rest', () => {
    const error = expectProblem(
      { server: { keepalive: { time: 5 } }, client: {}, seed: -1 },
      'name',
      'required field is missing (+2 more problems)',
    );
    expect(error.problems).toBe(3);
    const one = expectProblem(withFields({ name: 1, seed: -1 }), 'name', 'expected a string, got number 1 (+1 more problem)');
    expect(one.problems).toBe(2);
  });
});
