/** Each built-in scenario, run to its outcome: the stories the README and docs tell. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';
import { MS, S, isGoAway, isKeepalivePing, readTimes, sendTimes, sentFrames } from '../support/run.js';

const runBuiltin = (name: string) => {
  const input = BUILTIN_SCENARIOS[name];
  if (input === undefined) throw new Error(`no builtin ${name}`);
  return runScenario(parseScenario(input, name));
};

describe('seed-flaw', () => {
  const r = runBuiltin('seed-flaw');
  it('the server cuts a healthy client 5 s after its keepalive PING, at 65 s, without GOAWAY', () => {
    const ping = sendTimes(r, 'server', isKeepalivePing);
    expect(ping).toEqual([60_030 * MS]); // 60 s after the last read (the BDP PING ACK at 30 ms)
    expect(r.outcome).toMatchObject({ closed: true, closedBy: 'server', cause: 'keepalive', reason: 'keepalive ping not acked within timeout 5s' });
    expect(r.outcome.closedAt).toBe(65_030 * MS);
    expect(sendTimes(r, 'server', isGoAway)).toEqual([]);
  });
  it('the late ACK was really sent in time and held by the fault', () => {
    const ack = sentFrames(r, 'client').find((s) => s.frame.type === 'PING' && s.frame.ack && s.frame.payload === 'keepalive');
    expect(ack?.at).toBe(60_040 * MS);
    expect(ack?.arrivesAt).toBe(66_050 * MS);
  });
  it("what the applications see: the seed's symptoms. The server's FIN waits behind its unacknowledged PING (Linux 6.10+), the held ACK lands on the closed socket, which answers RST: the client reads connection reset by peer", () => {
    expect(r.outcome.client.failedStreams).toEqual([{ streamId: 1, error: 'rpc error: code = Unavailable desc = error reading from server: read: connection reset by peer' }]);
    expect(r.outcome.client.socketSaw).toBe('RST');
    expect(r.outcome.server.failedStreams).toEqual([{ streamId: 1, error: 'context canceled' }]);
    expect(r.outcome.server.socketSent).toBe('RST');
    expect(r.outcome.tcp.server['finSent']).toBe(0);
    expect(r.outcome.client.appSees).toContain('next Send on a failed stream returns EOF');
  });
  it('a server kernel before 6.10 lets the lone FIN out at the close: the client reads EOF instead', () => {
    const input = BUILTIN_SCENARIOS['seed-flaw'];
    const old = runScenario(parseScenario({ ...input, server: { ...input?.server, kernel: { version: '6.1' } } } as typeof input, 'seed-flaw-6.1'));
    expect(old.outcome.tcp.server['finSent']).toBe(1);
    expect(old.outcome.client.socketSaw).toBe('FIN');
    expect(old.outcome.client.failedStreams[0]?.error).toBe('rpc error: code = Unavailable desc = error reading from server: EOF');
  });
});

describe('seed-fix', () => {
  it('Time 30s, Timeout 90s, chatty client: the same 6 s late ACK is survived', () => {
    const r = runBuiltin('seed-fix');
    const heldAck = sentFrames(r, 'client').find((s) => s.frame.type === 'PING' && s.frame.ack && s.frame.payload === 'keepalive');
    expect(heldAck).toBeDefined();
    expect((heldAck?.arrivesAt ?? 0) - (heldAck?.at ?? 0)).toBe(6 * S + 10 * MS);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('seed-fix-idle', () => {
  it("the author's suspicion: an idle client whose ACK is 100 s late is still cut, 90 s after the only PING", () => {
    const r = runBuiltin('seed-fix-idle');
    const pings = sendTimes(r, 'server', isKeepalivePing);
    expect(pings).toHaveLength(1);
    expect(r.outcome).toMatchObject({ closed: true, closedBy: 'server', cause: 'keepalive' });
    expect(r.outcome.closedAt).toBe((pings[0] ?? 0) + 90 * S);
  });
});

describe('seed-busy-server', () => {
  it('a starved server reader leaves the ACK unread: the keepalive close sends RST and the device sees connection reset by peer', () => {
    const r = runBuiltin('seed-busy-server');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    expect(r.outcome.server.socketSent).toBe('RST');
    expect(r.outcome.client.socketSaw).toBe('RST');
    expect(r.outcome.client.failedStreams[0]?.error).toContain('connection reset by peer');
    expect(r.outcome.server.failedStreams[0]?.error).toBe('context canceled');
  });
});

describe('too-many-pings', () => {
  it('a 10 s client against MinTime 5m: GOAWAY too_many_pings on the third strike; next connection pings every 20 s', () => {
    const r = runBuiltin('too-many-pings');
    const pings = readTimes(r, 'server', isKeepalivePing);
    expect(pings).toHaveLength(4);
    expect(sendTimes(r, 'server', isGoAway)).toEqual([pings[3]]);
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'too_many_pings' });
    expect(r.outcome.nextClientKeepaliveTime).toBe(20 * S);
  });
});

describe('max-idle', () => {
  it('GOAWAY max_idle 30 s after the unary call ended; the client, with nothing in flight, closes on it', () => {
    const r = runBuiltin('max-idle');
    const trailers = sentFrames(r, 'server').find((s) => s.frame.type === 'HEADERS' && s.frame.kind === 'trailers');
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame));
    expect(goaway?.at).toBe((trailers?.at ?? 0) + 30 * S);
    expect(goaway?.frame).toMatchObject({ debugData: 'max_idle' });
    expect(r.outcome).toMatchObject({ closedBy: 'client', cause: 'goaway' });
  });
});

describe('max-age', () => {
  it('drain at the jittered age, second GOAWAY after the drain ACK, forced close after the grace', () => {
    const r = runBuiltin('max-age');
    const goaways = sentFrames(r, 'server').filter((s) => isGoAway(s.frame));
    expect(goaways).toHaveLength(2);
    const age = r.serverConfig.maxConnectionAge ?? 0;
    expect(Math.abs(age - 60 * S)).toBeLessThanOrEqual(6 * S);
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'max_age' });
    expect(r.outcome.closedAt).toBe((goaways[0]?.at ?? 0) + (r.serverConfig.maxConnectionAgeGrace ?? 0));
  });
});

describe('dead-client', () => {
  const lastRead = (r: ReturnType<typeof runBuiltin>) =>
    Math.max(...r.trace.filter((t) => t.actor === 'server' && t.event.type === 'frameRead').map((t) => t.at));
  it('Go TCP keepalive + TCP_USER_TIMEOUT: the kernel aborts 30 s after the last packet it received, before gRPC keepalive', () => {
    const r = runBuiltin('dead-client');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'tcp_abort' });
    expect(r.outcome.server.kernelAbort).toBe('tcp-keepalive');
    // The last packet the server received is the client's reply to the last exchange (within 50 ms
    // of the last frame read, 25.03 s); a probe 15 s later goes unanswered, and the next one, 15 s
    // after, finds TCP_USER_TIMEOUT (5 s) passed. Each timer fires on the kernel's timer wheel, up
    // to 1/8 of 15 s late.
    const since = (r.outcome.closedAt ?? 0) - lastRead(r);
    expect(since).toBeGreaterThanOrEqual(30 * S);
    expect(since).toBeLessThanOrEqual(30 * S + 50 * MS + (2 * 15 * S) / 8);
    expect(r.outcome.client.state).toBe('crashed');
  });
  it('without TCP keepalive, gRPC keepalive detects it exactly Time + Timeout after the last read', () => {
    const input = BUILTIN_SCENARIOS['dead-client'];
    const r = runScenario(parseScenario({ ...input, server: { ...input?.server, tcpKeepalive: 'off' } }, 'dead-client'));
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    expect(r.outcome.closedAt).toBe(lastRead(r) + 65 * S);
  });
});

describe('client-dormant', () => {
  it('no PING while no stream is open; the stream opening at 60 s wakes keepalive, which pings at once', () => {
    const r = runBuiltin('client-dormant');
    expect(sendTimes(r, 'client', isKeepalivePing)[0]).toBe(60 * S);
    expect(r.outcome.closed).toBe(false);
  });
});

describe('determinism', () => {
  it('the same seed gives the same trace and outcome', () => {
    const a = runBuiltin('max-age');
    const b = runBuiltin('max-age');
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(b.outcome).toEqual(a.outcome);
  });
});

describe('socket linger after a final GOAWAY (grpc-go #6977, v1.62.0+)', () => {
  const fin = (r: ReturnType<typeof runBuiltin>) =>
    r.trace.find((t) => t.actor === 'server' && t.actions.some((a) => a.type === 'sendSignal'))?.at;
  it('v1.83.1: the server keeps reading for 1 s after GOAWAY too_many_pings, then sends FIN', () => {
    const r = runBuiltin('too-many-pings');
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame))?.at ?? 0;
    expect(r.outcome.closedAt).toBe(goaway);
    expect(fin(r)).toBe(goaway + S);
  });
  it('v1.61.0: the socket closes with the GOAWAY', () => {
    const input = BUILTIN_SCENARIOS['too-many-pings'];
    const r = runScenario(parseScenario({ ...input, server: { ...input?.server, version: '1.61.0' } }, 'v1.61'));
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame))?.at ?? 0;
    expect(fin(r)).toBe(goaway);
  });
  it('v1.83.1 with no stream: the client closes on the GOAWAY, and its FIN ends the linger early', () => {
    const r = runScenario(
      parseScenario(
        {
          name: 'frequency',
          horizon: '1s',
          server: { enforcement: { minTime: '100ms', permitWithoutStream: true }, tcpKeepalive: 'off' },
          client: { keepalive: { time: '50ms', timeout: '1s', permitWithoutStream: true }, tcpKeepalive: 'off' },
          network: { clientToServer: { delay: '1ms' }, serverToClient: { delay: '1ms' } },
        },
        'frequency',
      ),
      { clamp: false },
    );
    const goaway = sentFrames(r, 'server').find((s) => isGoAway(s.frame))?.at ?? 0;
    // GOAWAY at 209 ms; the client reads it at 210 ms and closes; its FIN is read at 211 ms.
    expect(r.outcome.client.closedAt).toBe(goaway + MS);
    expect(fin(r)).toBe(goaway + 2 * MS);
  });
});
