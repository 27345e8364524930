/**
 * The scenarios of grpc-go's internal/transport/keepalive_test.go (read at v1.83.1), replayed on
 * the model with 1 ms one-way delay. Upstream asserts outcomes on a real clock; these tests pin the
 * frame-by-frame timing the model derives, which a real run shows within scheduling noise.
 * `clamp: false` mirrors upstream building ServerConfig/ConnectOptions directly, which skips the
 * public API's 1 s / 10 s floors on Time.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STREAM_ID } from '../../src/frames/frame.js';
import { MS, S, isGoAway, isKeepalivePing, readTimes, run, sendTimes, sentFrames, timerFires } from '../support/run.js';

const net = { clientToServer: { delay: '1ms' }, serverToClient: { delay: '1ms' } } as const;
const noClamp = { clamp: false } as const;

describe('TestMaxConnectionIdle', () => {
  it('drains an idle connection exactly MaxConnectionIdle after its last stream ended, with debug data max_idle', () => {
    const r = run({ horizon: '1s', network: net, server: { keepalive: { maxConnectionIdle: '30ms' } }, workload: [{ type: 'unary', at: '0s' }] }, noClamp);
    // Server created at 1 ms; request read at 1 ms; handler (1 ms) returns at 2 ms: idle since 2 ms.
    const goaways = sentFrames(r, 'server').filter((s) => isGoAway(s.frame));
    expect(goaways[0]?.at).toBe(32 * MS);
    expect(goaways[0]?.frame).toEqual({ type: 'GOAWAY', lastStreamId: MAX_STREAM_ID, code: 'NO_ERROR', debugData: 'max_idle' });
    // The drain PING follows the first GOAWAY at once.
    const drainPing = sentFrames(r, 'server').find((s) => s.frame.type === 'PING' && s.frame.payload === 'drain');
    expect(drainPing?.at).toBe(32 * MS);
    // The client, with no active stream, closes on the GOAWAY.
    expect(r.outcome.client.closedAt).toBe(33 * MS);
    expect(r.outcome.client.error).toBe('received GOAWAY with no active streams');
  });

  it('sends empty drain debug data before v1.56.0', () => {
    const r = run({ horizon: '1s', network: net, server: { version: '1.55.0', keepalive: { maxConnectionIdle: '30ms' } }, workload: [{ type: 'unary', at: '0s' }] }, noClamp);
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame));
    expect(goaway?.frame).toMatchObject({ lastStreamId: MAX_STREAM_ID, debugData: '' });
  });
});

describe('TestMaxConnectionIdleBusyClient', () => {
  it('never drains while a stream is open: the idle timer re-arms every MaxConnectionIdle', () => {
    const r = run({ horizon: '1s', network: net, server: { keepalive: { maxConnectionIdle: '100ms' } }, workload: [{ type: 'stream', at: '0s' }] }, noClamp);
    expect(sendTimes(r, 'server', isGoAway)).toEqual([]);
    expect(timerFires(r, 'server', 'idleTimer').map((t) => t.at)).toEqual([101, 201, 301, 401, 501, 601, 701, 801, 901].map((x) => x * MS));
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestMaxConnectionAge', () => {
  it('drains at MaxConnectionAge (jittered), sends the second GOAWAY after the drain ACK, and closes after Grace', () => {
    const r = run(
      { horizon: '1s', network: net, server: { keepalive: { maxConnectionAge: '100ms', maxConnectionAgeGrace: '10ms' } }, workload: [{ type: 'stream', at: '0s' }] },
      noClamp,
    );
    const age = r.serverConfig.maxConnectionAge as number;
    expect(age).toBeGreaterThanOrEqual(90 * MS);
    expect(age).toBeLessThan(110 * MS);
    const drainAt = 1 * MS + age;
    const goaways = sentFrames(r, 'server').filter((s) => isGoAway(s.frame));
    expect(goaways.map((g) => [g.at, g.frame])).toEqual([
      [drainAt, { type: 'GOAWAY', lastStreamId: MAX_STREAM_ID, code: 'NO_ERROR', debugData: 'max_age' }],
      // The client's ACK of the drain PING is read 2 ms later; the second GOAWAY names stream 1.
      [drainAt + 2 * MS, { type: 'GOAWAY', lastStreamId: 1, code: 'NO_ERROR', debugData: 'max_age' }],
    ]);
    expect(r.outcome.closedBy).toBe('server');
    expect(r.outcome.cause).toBe('max_age');
    expect(r.outcome.closedAt).toBe(drainAt + 10 * MS);
    expect(r.outcome.client.failedStreams.map((f) => f.streamId)).toEqual([1]);
  });

  it('jitter comes from the seed: same seed same age, another seed another age', () => {
    const input = { horizon: '10ms', network: net, server: { keepalive: { maxConnectionAge: '100s' } } } as const;
    const a = run({ ...input, seed: 7 }).serverConfig.maxConnectionAge;
    expect(run({ ...input, seed: 7 }).serverConfig.maxConnectionAge).toBe(a);
    const others = [8, 9, 10, 11].map((seed) => run({ ...input, seed }).serverConfig.maxConnectionAge);
    expect(others.some((o) => o !== a)).toBe(true);
  });
});

describe('TestKeepaliveServerClosesUnresponsiveClient', () => {
  // v1.26+: PING at Time after creation. Before v1.26 the SETTINGS read at creation sets the
  // activity flag, so the first fire only re-arms: PING at 2*Time.
  for (const [version, pingAt] of [
    ['1.83.1', 101],
    ['1.25.0', 201],
  ] as const) {
    it(`v${version}: pings after ${pingAt - 1}ms with nothing read and closes Timeout later, without GOAWAY`, () => {
      const r = run(
        {
          horizon: '1s',
          network: net,
          server: { version, keepalive: { time: '100ms', timeout: '10ms' } },
          // A client that never reads, so never acknowledges anything (upstream: a raw conn).
          faults: [{ type: 'readerStall', peer: 'client', from: '1ms', until: '10s' }],
        },
        noClamp,
      );
      expect(sendTimes(r, 'server', isKeepalivePing)).toEqual([pingAt * MS]);
      expect(r.outcome.closedBy).toBe('server');
      expect(r.outcome.cause).toBe('keepalive');
      expect(r.outcome.closedAt).toBe((pingAt + 10) * MS);
      expect(sendTimes(r, 'server', isGoAway)).toEqual([]);
      // The client's socket gets the FIN: its read returns io.EOF, as upstream's test expects.
      expect(r.outcome.client.socketSaw).toBe('FIN');
      expect(r.outcome.server.socketSent).toBe('FIN');
    });
  }
});

describe('TestKeepaliveServerWithResponsiveClient', () => {
  it('pings every Time after the last read and stays up', () => {
    const r = run({ horizon: '500ms', network: net, server: { keepalive: { time: '100ms', timeout: '100ms' } } }, noClamp);
    // lastRead = 3 ms (client SETTINGS ACK); each ACK is read 2 ms after its PING.
    expect(sendTimes(r, 'server', isKeepalivePing)).toEqual([103, 205, 307, 409].map((x) => x * MS));
    expect(readTimes(r, 'server', (f) => f.type === 'PING' && f.ack).map((t) => t / MS)).toEqual([105, 207, 309, 411]);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestKeepaliveClientClosesUnresponsiveServer', () => {
  it('with PermitWithoutStream, pings after Time and closes Timeout later', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        client: { keepalive: { time: '10ms', timeout: '10ms', permitWithoutStream: true } },
        faults: [{ type: 'readerStall', peer: 'server', from: '0s', until: '10s' }],
      },
      noClamp,
    );
    expect(sendTimes(r, 'client', isKeepalivePing)).toEqual([10 * MS]);
    expect(r.outcome.closedBy).toBe('client');
    expect(r.outcome.closedAt).toBe(20 * MS);
    expect(r.outcome.reason).toBe('keepalive ping failed to receive ACK within timeout');
  });
});

describe('TestKeepaliveClientOpenWithUnresponsiveServer', () => {
  it('without PermitWithoutStream and no stream, goes dormant and never pings', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        client: { keepalive: { time: '10ms', timeout: '10ms' } },
        faults: [{ type: 'readerStall', peer: 'server', from: '0s', until: '10s' }],
      },
      noClamp,
    );
    expect(sendTimes(r, 'client', isKeepalivePing)).toEqual([]);
    const dormant = timerFires(r, 'client').find((t) => t.changes['kpDormant']?.[1] === true);
    expect(dormant?.at).toBe(10 * MS);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestKeepaliveClientClosesWithActiveStreams', () => {
  it('counts Timeout down in steps of Time and closes exactly Timeout after the PING', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        client: { keepalive: { time: '10ms', timeout: '100ms' } },
        workload: [{ type: 'stream', at: '0s' }],
        // The server stops answering after the handshake.
        faults: [{ type: 'readerStall', peer: 'server', from: '5ms', until: '10s' }],
      },
      noClamp,
    );
    // Last read 2 ms (server SETTINGS), so the first fire (10 ms) re-arms to 12 ms and pings then.
    expect(sendTimes(r, 'client', isKeepalivePing)).toEqual([12 * MS]);
    const waits = timerFires(r, 'client').filter((t) => t.at > 12 * MS && t.at < 112 * MS);
    expect(waits.map((t) => t.changes['timeoutLeft']?.[1])).toEqual([80, 70, 60, 50, 40, 30, 20, 10, 0].map((x) => x * MS));
    expect(r.outcome.closedBy).toBe('client');
    expect(r.outcome.closedAt).toBe(112 * MS);
    expect(r.outcome.client.failedStreams).toHaveLength(1);
  });
});

describe('TestKeepaliveClientStaysHealthyWithResponsiveServer', () => {
  it('a client pinging no faster than MinTime earns no strike', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        server: { enforcement: { minTime: '50ms', permitWithoutStream: true } },
        client: { keepalive: { time: '55ms', timeout: '1s', permitWithoutStream: true } },
      },
      noClamp,
    );
    const pings = readTimes(r, 'server', isKeepalivePing);
    expect(pings.length).toBeGreaterThanOrEqual(8);
    expect(r.trace.some((t) => t.actor === 'server' && t.changes['pingStrikes'] !== undefined)).toBe(false);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestKeepaliveClientFrequency', () => {
  it('GOAWAY ENHANCE_YOUR_CALM too_many_pings on the 4th fast PING, ACK first; the next connection doubles Time', () => {
    const r = run(
      {
        horizon: '1s',
        network: net,
        server: { enforcement: { minTime: '100ms', permitWithoutStream: true } },
        client: { keepalive: { time: '50ms', timeout: '1s', permitWithoutStream: true } },
      },
      noClamp,
    );
    expect(readTimes(r, 'server', isKeepalivePing)).toEqual([53, 105, 157, 209].map((x) => x * MS));
    const strikes = r.trace.filter((t) => t.changes['pingStrikes'] !== undefined).map((t) => [t.at / MS, t.changes['pingStrikes']?.[1]]);
    expect(strikes).toEqual([
      [105, 1],
      [157, 2],
      [209, 3],
    ]);
    const last = sentFrames(r, 'server').filter((s) => s.at === 209 * MS).map((s) => s.frame.type);
    expect(last).toEqual(['PING', 'GOAWAY']);
    expect(sentFrames(r, 'server').find((s) => isGoAway(s.frame))?.frame).toEqual({
      type: 'GOAWAY',
      lastStreamId: 0,
      code: 'ENHANCE_YOUR_CALM',
      debugData: 'too_many_pings',
    });
    expect(r.outcome.cause).toBe('too_many_pings');
    expect(r.outcome.reason).toBe('got too many pings from the client');
    expect(r.outcome.nextClientKeepaliveTime).toBe(100 * MS);
  });
});

describe('TestKeepaliveServerEnforcementWithAbusiveClientNoRPC', () => {
  it('with no stream and PermitWithoutStream false, any two pings within 2h are a strike', () => {
    const r = run(
      {
        horizon: '1s',
        network: net,
        server: { enforcement: { minTime: '1s' } },
        client: { keepalive: { time: '20ms', timeout: '100ms', permitWithoutStream: true } },
      },
      noClamp,
    );
    const pingReads = readTimes(r, 'server', isKeepalivePing);
    expect(pingReads).toHaveLength(4);
    expect(sendTimes(r, 'server', isGoAway)).toEqual([pingReads[3]]);
    expect(r.outcome.cause).toBe('too_many_pings');
  });
});

describe('TestKeepaliveServerEnforcementWithAbusiveClientWithRPC', () => {
  it('with a stream, pings closer than MinTime are strikes; the GOAWAY names the last stream', () => {
    const r = run(
      {
        horizon: '1s',
        network: net,
        server: { enforcement: { minTime: '1s' } },
        client: { keepalive: { time: '50ms', timeout: '100ms' } },
        workload: [{ type: 'stream', at: '0s' }],
      },
      noClamp,
    );
    const pingReads = readTimes(r, 'server', isKeepalivePing);
    expect(pingReads).toHaveLength(4);
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame));
    expect(goaway?.at).toBe(pingReads[3]);
    expect(goaway?.frame).toMatchObject({ lastStreamId: 1, code: 'ENHANCE_YOUR_CALM' });
  });
});

describe('TestKeepaliveServerEnforcementWithObeyingClientNoRPC', () => {
  it('PermitWithoutStream on both sides and Time above MinTime: no strike', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        server: { enforcement: { minTime: '40ms', permitWithoutStream: true } },
        client: { keepalive: { time: '50ms', timeout: '1s', permitWithoutStream: true } },
      },
      noClamp,
    );
    expect(readTimes(r, 'server', isKeepalivePing).length).toBeGreaterThanOrEqual(8);
    expect(sendTimes(r, 'server', isGoAway)).toEqual([]);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestKeepaliveServerEnforcementWithObeyingClientWithRPC', () => {
  it('a stream open and Time above MinTime: no strike', () => {
    const r = run(
      {
        horizon: '500ms',
        network: net,
        server: { enforcement: { minTime: '40ms' } },
        client: { keepalive: { time: '50ms' } },
        workload: [{ type: 'stream', at: '0s' }],
      },
      noClamp,
    );
    expect(readTimes(r, 'server', isKeepalivePing).length).toBeGreaterThanOrEqual(8);
    expect(r.trace.some((t) => t.changes['pingStrikes'] !== undefined)).toBe(false);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestKeepaliveServerEnforcementWithDormantKeepaliveOnClient', () => {
  it('a dormant client sends no PING, so a strict server never strikes it', () => {
    const r = run(
      { horizon: '500ms', network: net, server: { enforcement: { minTime: '100ms' } }, client: { keepalive: { time: '10ms', timeout: '10ms' } } },
      noClamp,
    );
    expect(sendTimes(r, 'client', isKeepalivePing)).toEqual([]);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('TestTCPUserTimeout', () => {
  const cfg = (version: string, keepalive: { time?: string; timeout?: string }) =>
    run({ horizon: '1ms', server: { version, keepalive }, client: { version, keepalive } });
  it('v1.46.0+: both sides carry TCP_USER_TIMEOUT = Timeout when keepalive is on', () => {
    const r = cfg('1.46.0', { time: '10s', timeout: '10s' });
    expect(r.serverConfig.tcpUserTimeout).toBe(10 * S);
    expect(r.clientConfig.tcpUserTimeout).toBe(10 * S);
  });
  it('defaults: server 20s (its Time is never infinite), client unset (keepalive off)', () => {
    const r = run({ horizon: '1ms', server: { version: '1.83.1', keepalive: {} }, client: { version: '1.83.1' } });
    expect(r.serverConfig.tcpUserTimeout).toBe(20 * S);
    expect(r.clientConfig.time).toBeUndefined();
    expect(r.clientConfig.tcpUserTimeout).toBeUndefined();
  });
  it('WithKeepaliveParams with zero-value ClientParameters: Time raised to 10 s, so keepalive is on and sets 20 s', () => {
    const r = cfg('1.83.1', {});
    expect(r.clientConfig.time).toBe(10 * S);
    expect(r.clientConfig.tcpUserTimeout).toBe(20 * S);
    // Built directly (upstream's own tests), Time 0 stays infinity: off.
    const direct = run({ horizon: '1ms', client: { keepalive: {} } }, { clamp: false });
    expect(direct.clientConfig.time).toBeUndefined();
  });
  it('v1.45.0: the server does not set it; the client already did', () => {
    const r = cfg('1.45.0', { time: '10s', timeout: '10s' });
    expect(r.serverConfig.tcpUserTimeout).toBeUndefined();
    expect(r.clientConfig.tcpUserTimeout).toBe(10 * S);
  });
});
