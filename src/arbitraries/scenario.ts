import fc from 'fast-check';
import { formatDuration } from '../time/duration.js';
import { MILLISECOND } from '../time/units.js';

/**
 * Whole scenarios, in the input form a file has: settings on both sides (versions, keepalive,
 * enforcement), a network (TCP or scripted; delay, jitter, loss, rate), a workload and faults.
 * For fuzzing the simulator's invariants and checking determinism; shrinks toward the defaults.
 */
export type ScenarioConstraints = {
  /** @default '10m' */
  readonly horizon?: string;
  /** @default 4 */
  readonly maxFaults?: number;
};

const ms = (n: number): string => formatDuration(n * MILLISECOND);
const secs = (lo: number, hi: number) => fc.integer({ min: lo * 1000, max: hi * 1000 }).map(ms);
const version = fc.constantFrom('1.83.1', '1.60.0', '1.46.0', '1.45.0', '1.27.0', '1.25.0', '1.20.0');

export function scenarioArbitrary(c: ScenarioConstraints = {}): fc.Arbitrary<Record<string, unknown>> {
  const link = fc.record(
    {
      delay: fc.integer({ min: 0, max: 300 }).map(ms),
      jitter: fc.integer({ min: 0, max: 50 }).map(ms),
      distribution: fc.constantFrom('uniform', 'normal', 'pareto', 'paretonormal'),
      loss: fc.oneof(
        fc.constant({ model: 'none' }),
        fc.record({ model: fc.constant('bernoulli'), p: fc.double({ min: 0, max: 0.1, noNaN: true }) }),
        fc.record({ model: fc.constant('gilbert-elliott'), p: fc.double({ min: 0, max: 0.05, noNaN: true }), r: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
      ),
      rate: fc.constantFrom('64kbit', '1mbit', '100mbit'),
    },
    { requiredKeys: ['delay'] },
  );
  const at = (hi: number) => secs(0, hi);
  // [from, until) with until after from: a start in the first 5 minutes and a length up to a minute.
  const interval = fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 1, max: 60_000 })).map(([from, len]) => [ms(from), ms(from + len)] as const);
  const fault = fc.oneof(
    fc.record({ type: fc.constant('delayFrame'), direction: fc.constantFrom('clientToServer', 'serverToClient'), frame: fc.constantFrom('PING', 'PING_ACK', 'DATA'), nth: fc.integer({ min: 1, max: 3 }), by: secs(0, 30) }),
    fc.record({ type: fc.constant('loseFrame'), direction: fc.constantFrom('clientToServer', 'serverToClient'), frame: fc.constantFrom('PING', 'PING_ACK', 'DATA'), nth: fc.integer({ min: 1, max: 3 }), times: fc.integer({ min: 1, max: 8 }) }),
    interval.map(([from, until]) => ({ type: 'blackhole', direction: 'clientToServer', from, until })),
    interval.map(([from, until]) => ({ type: 'partition', direction: 'both', from, until })),
    fc.record({ type: fc.constant('crash'), peer: fc.constantFrom('client', 'server'), at: at(300) }),
    interval.chain(([from, until]) => fc.record({ type: fc.constant('readerStall'), peer: fc.constantFrom('client', 'server'), from: fc.constant(from), until: fc.constant(until) })),
    interval.chain(([from, until]) => fc.record({ type: fc.constant('pause'), peer: fc.constantFrom('client', 'server'), from: fc.constant(from), until: fc.constant(until) })),
  );
  const workload = fc.oneof(
    fc.record({ type: fc.constant('stream'), at: at(30), client: fc.option(fc.record({ every: secs(1, 200), size: fc.integer({ min: 0, max: 50_000 }) }), { nil: undefined }) }, { requiredKeys: ['type', 'at'] }),
    fc.record({ type: fc.constant('unary'), at: at(200), requestSize: fc.integer({ min: 0, max: 10_000 }) }),
  );
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 1000 }),
      tieOrder: fc.constantFrom('reads-first', 'timers-first'),
      server: fc.record({
        version,
        keepalive: fc.record({ time: secs(1, 120), timeout: secs(1, 120), maxConnectionIdle: fc.option(secs(10, 600), { nil: undefined }) }, { requiredKeys: [] }),
        enforcement: fc.record({ minTime: secs(1, 300), permitWithoutStream: fc.boolean() }, { requiredKeys: [] }),
        tcpKeepalive: fc.constantFrom('grpc-default', 'go-default', 'os-default', 'off'),
      }),
      client: fc.record({
        version,
        keepalive: fc.option(fc.record({ time: secs(10, 120), timeout: secs(1, 60), permitWithoutStream: fc.boolean() }), { nil: undefined }),
        tcpKeepalive: fc.constantFrom('grpc-default', 'go-default', 'os-default', 'off'),
      }),
      model: fc.constantFrom('tcp', 'tcp', 'scripted'),
      clientToServer: link,
      serverToClient: link,
      workload: fc.array(workload, { maxLength: 3 }),
      faults: fc.array(fault, { maxLength: c.maxFaults ?? 4 }),
    })
    .map((r) => {
      const scripted = r.model === 'scripted';
      const plain = (l: Record<string, unknown>) => (scripted ? { delay: l['delay'] } : l);
      const faults = r.faults.filter((f) => !(scripted && f.type === 'loseFrame'));
      const clientSide: Record<string, unknown> = { version: r.client.version, tcpKeepalive: r.client.tcpKeepalive };
      if (r.client.keepalive !== undefined) clientSide['keepalive'] = r.client.keepalive;
      return {
        name: 'arbitrary',
        seed: r.seed,
        horizon: c.horizon ?? '10m',
        tieOrder: r.tieOrder,
        server: r.server,
        client: clientSide,
        network: { model: r.model, clientToServer: plain(r.clientToServer), serverToClient: plain(r.serverToClient) },
        workload: r.workload,
        faults,
      };
    });
}
