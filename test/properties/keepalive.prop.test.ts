/**
 * Properties of grpc-go's keepalive as kpsim models it, each stated in words above its test.
 * Times are generated in whole milliseconds and scenarios run on the scripted network (constant
 * one-way delays d1 server->client, d2 client->server), so the bounds are exact; the TCP network
 * adds retransmission arithmetic, checked in test/transport/rto-arithmetic.test.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { hunt } from '../../src/analysis/hunt.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario, type RunResult } from '../../src/sim/world.js';
import { MS, S, isKeepalivePing } from '../support/run.js';

const msStr = (n: number): string => `${n}ms`;
const runInput = (input: Omit<ScenarioInput, 'name'>, opts: { trace?: boolean } = {}): RunResult =>
  runScenario(parseScenario({ name: 'prop', ...input }, 'prop'), { clamp: false, trace: opts.trace ?? false });

/** An idle stream (or one with client messages every `every` ms) on a scripted link. */
const idleLink = (p: { time: number; timeout: number; d1: number; d2: number; every?: number; version?: string; tieOrder?: 'reads-first' | 'timers-first'; horizon?: string }): Omit<ScenarioInput, 'name'> =>
  ({
    horizon: p.horizon ?? '30m',
    tieOrder: p.tieOrder ?? 'reads-first',
    server: { version: p.version ?? '1.83.1', keepalive: { time: msStr(p.time), timeout: msStr(p.timeout) }, tcpKeepalive: 'off' },
    client: { tcpKeepalive: 'off' },
    network: { model: 'scripted', serverToClient: { delay: msStr(p.d1) }, clientToServer: { delay: msStr(p.d2) } },
    workload: [{ type: 'stream', at: '0s', ...(p.every === undefined ? {} : { client: { every: msStr(p.every), size: 10 } }) }],
  });

const serverPinged = (r: RunResult): boolean =>
  r.trace.some((t) => t.actor === 'server' && t.actions.some((a) => a.type === 'sendFrame' && isKeepalivePing(a.frame)));

const settings = fc.record({ time: fc.integer({ min: 1000, max: 120_000 }), timeout: fc.integer({ min: 1000, max: 120_000 }) });

describe('safety: the exact bound for a live idle client', () => {
  // With a live client that only answers PINGs, and every frame delivered within one-way delays
  // d1 (server to client) and d2 (client to server), grpc-go's server never closes by keepalive
  // if d1 + d2 <= Timeout, and does close when d1 + d2 > Timeout (a read at exactly the deadline
  // counts, with the default reads-first tie order). Time plays no part in the bound.
  test.prop([settings, fc.integer({ min: 0, max: 130_000 }), fc.integer({ min: 0, max: 1000 })], { numRuns: 60 })(
    'closed by keepalive exactly when d1 + d2 > Timeout',
    ({ time, timeout }, d2, d1) => {
      const r = runInput(idleLink({ time, timeout, d1, d2 }));
      const expectClose = d1 + d2 > timeout;
      expect(r.outcome.closed && r.outcome.cause === 'keepalive').toBe(expectClose);
    },
  );
  // A client whose messages arrive more often than Time is never pinged, so never closed, however
  // long the (constant) delays and however short Timeout.
  test.prop([settings, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 })], { numRuns: 40 })(
    'messages more often than Time: never pinged, never closed',
    ({ time, timeout }, d1, d2) => {
      const r = runInput(idleLink({ time, timeout, d1, d2, every: time - 1 }), { trace: true });
      expect(r.outcome.closed).toBe(false);
      expect(serverPinged(r)).toBe(false);
    },
  );
  // Messages exactly every Time are still never closed. Each is read exactly Time after the read
  // before it, at the instant the server's timer is due. With d2 > 0 that is a read/timer tie,
  // which reads-first gives to the read: never pinged. With d2 = 0 the client's write itself falls
  // on the timer's instant, and application jobs go after timers (docs/model.md, "Ties"), so the
  // timer fires first and pings; with d1 = 0 as well nothing else was read in between, so it
  // always does. (With d2 = 0 < d1 it depends on where the BDP PING's ACK lands, so that case
  // asserts only the survival.)
  test.prop([settings, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 })], {
    numRuns: 40,
    // Both branches every run: the write/timer tie fast-check first found, and a read/timer tie.
    examples: [
      [{ time: 1000, timeout: 1000 }, 0, 0],
      [{ time: 1000, timeout: 1000 }, 0, 1],
    ],
  })(
    'messages exactly every Time: never closed; pinged never when d2 > 0, always when d1 = d2 = 0',
    ({ time, timeout }, d1, d2) => {
      const r = runInput(idleLink({ time, timeout, d1, d2, every: time }), { trace: true });
      expect(r.outcome.closed).toBe(false);
      if (d2 > 0) expect(serverPinged(r)).toBe(false);
      if (d1 === 0 && d2 === 0) expect(serverPinged(r)).toBe(true);
    },
  );
});

describe('the flaw', () => {
  // From a generic fault arbitrary (late replies, outages, stalls, pauses, lost ACKs), fast-check
  // finds a live client that gets killed, and the counterexample shrinks to one late reply just
  // over Timeout: the PING's ACK read Timeout + 1 ms after the PING.
  test.prop([settings], { numRuns: 8 })('hunt shrinks any kill to a single late reply of Timeout + 1 ms', ({ time, timeout }) => {
    const sc = parseScenario(
      {
        name: 'flaw',
        horizon: '20m',
        server: { keepalive: { time: msStr(time), timeout: msStr(timeout) }, tcpKeepalive: 'off' },
        client: { tcpKeepalive: 'off' },
        network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
        workload: [{ type: 'stream', at: '0s' }],
      },
      'flaw',
    );
    const h = hunt(sc, { runs: 100, seed: time ^ timeout });
    expect(h.found).toBe(true);
    expect(h.counterexample?.faults).toEqual([{ kind: 'late-reply', nth: 1, replyMs: timeout + 1 }]);
  });
});

describe('detection of a dead client', () => {
  const lastServerRead = (r: RunResult) => Math.max(...r.trace.filter((t) => t.actor === 'server' && t.event.type === 'frameRead').map((t) => t.at));
  // v1.26+ (last-read loop): a client that dies silently is detected exactly Time + Timeout after
  // the server's last read.
  test.prop([settings, fc.integer({ min: 1, max: 600 })], { numRuns: 40 })('v1.26+: exactly Time + Timeout after the last read', ({ time, timeout }, crashAt) => {
    const r = runInput({ ...idleLink({ time, timeout, d1: 5, d2: 5 }), faults: [{ type: 'crash', peer: 'client', at: `${crashAt}s` }] }, { trace: true });
    expect(r.outcome.cause).toBe('keepalive');
    expect(r.outcome.closedAt).toBe(lastServerRead(r) + (time + timeout) * MS);
  });
  // Before v1.26 (activity-flag loop) the timer runs in periods of Time, or of Timeout after a
  // PING, counted from its last fire, not from the read: the fire after the last read only sees
  // "activity" and re-arms Time, so detection takes more than Time + Timeout and at most
  // max(Time, Timeout) + Time + Timeout after the last read.
  test.prop([settings, fc.integer({ min: 1, max: 600 })], { numRuns: 40 })('before v1.26: within (Time + Timeout, max(Time, Timeout) + Time + Timeout]', ({ time, timeout }, crashAt) => {
    const r = runInput({ ...idleLink({ time, timeout, d1: 5, d2: 5, version: '1.25.0' }), faults: [{ type: 'crash', peer: 'client', at: `${crashAt}s` }] }, { trace: true });
    const lag = (r.outcome.closedAt ?? 0) - lastServerRead(r);
    expect(lag).toBeGreaterThan((time + timeout) * MS);
    expect(lag).toBeLessThanOrEqual((Math.max(time, timeout) + time + timeout) * MS);
  });
  // Both bounds are tight: a read just after a fire comes close to the upper one, a read just
  // before a fire to the lower one.
  test('before v1.26: both bounds are approached', () => {
    const lags = [1, 2, 3, 50, 99].map((crashSec) => {
      const r = runInput({ ...idleLink({ time: 100_000, timeout: 10_000, d1: 5, d2: 5, version: '1.25.0', every: 100_000 - 1 }), faults: [{ type: 'crash', peer: 'client', at: `${crashSec * 100 - 0.5}s` }] }, { trace: true });
      return ((r.outcome.closedAt ?? 0) - lastServerRead(r)) / S;
    });
    expect(Math.max(...lags)).toBeGreaterThan(209);
    expect(Math.min(...lags)).toBeLessThan(111);
  });
});

describe('any read counts', () => {
  // Adding client DATA never makes a keepalive close come earlier: every read only ever moves
  // lastRead forward.
  test.prop([settings, fc.integer({ min: 0, max: 20_000 }), fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 6 })], { numRuns: 50 })(
    'extra client messages never bring a close forward',
    ({ time, timeout }, lateMs, messageTimes) => {
      const base: Omit<ScenarioInput, 'name'> = {
        ...idleLink({ time, timeout, d1: 10, d2: 10, horizon: '10m' }),
        faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', by: msStr(lateMs) }],
      };
      const without = runInput(base).outcome;
      const withData = runInput({
        ...base,
        workload: [...(base.workload ?? []), ...messageTimes.map((t) => ({ type: 'unary' as const, at: msStr(t) }))],
      }).outcome;
      const closeAt = (o: typeof without) => (o.closed && o.cause === 'keepalive' ? (o.closedAt ?? Infinity) : Infinity);
      expect(closeAt(withData)).toBeGreaterThanOrEqual(closeAt(without));
    },
  );
});

describe('enforcement', () => {
  // A grpc-go client pings every Time + RTT (Time after the previous ACK was read). The server
  // strikes a PING that comes sooner than MinTime after the previous one and sends
  // too_many_pings on the third strike. So the client gets too_many_pings exactly when
  // Time + RTT < MinTime; in particular never when Time >= MinTime.
  const enforce = (timeMs: number, minTimeMs: number) =>
    runInput({
      horizon: msStr(6 * (timeMs + 40)),
      server: { enforcement: { minTime: msStr(minTimeMs), permitWithoutStream: true }, tcpKeepalive: 'off' },
      client: { keepalive: { time: msStr(timeMs), timeout: '1h', permitWithoutStream: true }, tcpKeepalive: 'off' },
      network: { model: 'scripted', clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
    }).outcome.cause === 'too_many_pings';
  test.prop([fc.integer({ min: 100, max: 60_000 }), fc.integer({ min: 100, max: 60_000 })], { numRuns: 60 })(
    'too_many_pings iff Time + RTT < MinTime',
    (timeMs, minTimeMs) => {
      expect(enforce(timeMs, minTimeMs)).toBe(timeMs + 20 < minTimeMs);
    },
  );
  test.prop([fc.integer({ min: 1000, max: 60_000 })], { numRuns: 10 })('the smallest safe Time, found by bisection, is MinTime - RTT', (minTimeMs) => {
    let bad = 1;
    let good = minTimeMs;
    while (good - bad > 1) {
      const mid = Math.floor((bad + good) / 2);
      if (enforce(mid, minTimeMs)) bad = mid;
      else good = mid;
    }
    expect(good).toBe(minTimeMs - 20);
  });
});

describe('ties', () => {
  // A frame read and a kpTimer fire at the same nanosecond resolve in the scenario's tie order.
  // The two orders can only disagree if such a tie happens; and when the ACK is read exactly as
  // the Timeout runs out (d1 + d2 = Timeout), they do: reads-first keeps the connection,
  // timers-first closes it; provided Timeout < Time, so that the handshake's last read comes
  // before the first PING and nothing but the ACK can be read in its Timeout.
  const hasTie = (r: RunResult): boolean => {
    const fires = new Set(r.trace.filter((t) => t.actor === 'server' && t.event.type === 'timerFired').map((t) => t.at));
    return r.trace.some((t) => t.actor === 'server' && t.event.type === 'frameRead' && fires.has(t.at));
  };
  test.prop([settings, fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.integer({ min: 0, max: 240_000 })], { numRuns: 60 })('orders differ only on a tie, and do at d1 + d2 = Timeout', ({ time, timeout }, d1, atDeadline, other) => {
    const d2 = atDeadline ? Math.max(0, timeout - d1) : other;
    const run = (tieOrder: 'reads-first' | 'timers-first') => runInput(idleLink({ time, timeout, d1, d2, tieOrder, horizon: '10m' }), { trace: true });
    const a = run('reads-first');
    const b = run('timers-first');
    if (a.outcome.closed !== b.outcome.closed || a.outcome.closedAt !== b.outcome.closedAt) expect(hasTie(a) || hasTie(b)).toBe(true);
    if (d1 + d2 === timeout && timeout < time) expect([a.outcome.closed, b.outcome.closed]).toEqual([false, true]);
  });
});

describe('determinism', () => {
  // The same scenario and seed give byte-identical traces, with loss and jitter on TCP.
  test.prop([fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 0.1, noNaN: true })], { numRuns: 10 })('same seed, same trace', (seed, p) => {
    const input: Omit<ScenarioInput, 'name'> = {
      seed,
      horizon: '30m',
      server: { keepalive: { time: '30s', timeout: '5s' } },
      network: { clientToServer: { delay: '40ms', jitter: '10ms', loss: { model: 'bernoulli', p } }, serverToClient: { delay: '40ms', jitter: '10ms', distribution: 'pareto', loss: { model: 'bernoulli', p } } },
      workload: [{ type: 'stream', at: '0s', client: { every: '45s', size: 300 } }],
    };
    const a = runInput(input, { trace: true });
    const b = runInput(input, { trace: true });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });
});
