import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, builtinNames } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { MILLISECOND, MINUTE, SECOND } from '../../src/time/units.js';

function builtin(name: string): Scenario {
  return parseScenario(BUILTIN_SCENARIOS[name], `builtin:${name}`);
}

describe('built-in scenarios', () => {
  it('are exactly the documented set, in order', () => {
    expect(builtinNames()).toEqual([
      'seed-flaw',
      'seed-fix',
      'seed-fix-idle',
      'seed-busy-server',
      'seed-flaw-loss',
      'too-many-pings',
      'max-idle',
      'max-age',
      'dead-client',
      'client-dormant',
      'lossy-mobile',
      'lossy-mobile-bursty',
      'hol-blocking',
      'nat-idle',
      'nat-idle-keepalive',
      'gc-pause',
      'user-timeout',
      'bounded-delay',
    ]);
  });

  it.each(builtinNames())('%s parses, is named after its key and says what it shows', (name) => {
    const s = builtin(name);
    expect(s.name).toBe(name);
    expect(s.description?.length ?? 0).toBeGreaterThan(40);
  });

  it('seed-flaw: server Time 60s Timeout 5s, quiet stream, keepalive PING ACK (the 2nd, after the BDP one) held 6s', () => {
    const s = builtin('seed-flaw');
    expect(s.horizon).toBe(10 * MINUTE);
    expect(s.server.version).toBe('1.83.1');
    expect(s.server.keepalive).toEqual({ time: 60 * SECOND, timeout: 5 * SECOND });
    expect(s.client.keepalive).toBeUndefined();
    expect(s.network.clientToServer.delay.base).toBe(10 * MILLISECOND);
    expect(s.network.serverToClient.delay.base).toBe(10 * MILLISECOND);
    expect(s.workload).toEqual([{ type: 'stream', at: 0, client: { every: 120 * SECOND, size: 200, first: 0 } }]);
    expect(s.faults).toEqual([{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: 6 * SECOND }]);
  });

  it('seed-fix: Time 30s Timeout 90s, a message every 45s, same fault', () => {
    const s = builtin('seed-fix');
    expect(s.server.keepalive).toEqual({ time: 30 * SECOND, timeout: 90 * SECOND });
    expect(s.workload).toEqual([{ type: 'stream', at: 0, client: { every: 45 * SECOND, size: 200, first: 0 } }]);
    expect(s.faults).toEqual(builtin('seed-flaw').faults);
  });

  it('seed-fix-idle: silent stream, ACK held 100s', () => {
    const s = builtin('seed-fix-idle');
    expect(s.server.keepalive).toEqual({ time: 30 * SECOND, timeout: 90 * SECOND });
    expect(s.workload).toEqual([{ type: 'stream', at: 0 }]);
    expect(s.faults).toEqual([{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: 100 * SECOND }]);
  });

  it('too-many-pings: default server keepalive and MinTime, client pings every 10s on an idle stream', () => {
    const s = builtin('too-many-pings');
    expect(s.server.keepalive).toEqual({});
    expect(s.server.enforcement).toEqual({ permitWithoutStream: false });
    expect(s.client.keepalive).toEqual({ time: 10 * SECOND, timeout: 20 * SECOND, permitWithoutStream: false });
    expect(s.workload).toEqual([{ type: 'stream', at: 0 }]);
    expect(s.faults).toEqual([]);
  });

  it('max-idle: MaxConnectionIdle 30s after one unary call at 1s', () => {
    const s = builtin('max-idle');
    expect(s.horizon).toBe(5 * MINUTE);
    expect(s.server.keepalive).toEqual({ maxConnectionIdle: 30 * SECOND });
    expect(s.workload).toEqual([{ type: 'unary', at: SECOND, count: 1, requestSize: 100, responseSize: 100, handlerTime: MILLISECOND }]);
  });

  it('max-age: MaxConnectionAge 60s, grace 10s, busy stream', () => {
    const s = builtin('max-age');
    expect(s.server.keepalive).toEqual({ maxConnectionAge: 60 * SECOND, maxConnectionAgeGrace: 10 * SECOND });
    expect(s.workload).toEqual([{ type: 'stream', at: 0, client: { every: 5 * SECOND, size: 100, first: 5 * SECOND } }]);
  });

  it('dead-client: Time 60s Timeout 5s, client crashes at 30s', () => {
    const s = builtin('dead-client');
    expect(s.server.keepalive).toEqual({ time: 60 * SECOND, timeout: 5 * SECOND });
    expect(s.faults).toEqual([{ type: 'crash', peer: 'client', at: 30 * SECOND }]);
    expect(s.workload[0]?.type).toBe('stream');
  });

  it('client-dormant: client Time 10s without PermitWithoutStream, server MinTime 5s, unary at 60s', () => {
    const s = builtin('client-dormant');
    expect(s.client.keepalive).toEqual({ time: 10 * SECOND, timeout: 5 * SECOND, permitWithoutStream: false });
    expect(s.server.enforcement).toEqual({ minTime: 5 * SECOND, permitWithoutStream: false });
    expect(s.workload).toEqual([{ type: 'unary', at: 60 * SECOND, count: 1, requestSize: 100, responseSize: 100, handlerTime: MILLISECOND }]);
  });
});
