/** The transport built-ins: what each network mechanism does to keepalive, pinned to the run. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { runScenario } from '../../src/sim/world.js';
import { MS, S, isKeepalivePing, sentFrames } from '../support/run.js';

const runInput = (input: ScenarioInput | undefined, name: string) => runScenario(parseScenario(input, name));
const runBuiltin = (name: string) => runInput(BUILTIN_SCENARIOS[name], name);
const netNotes = (r: ReturnType<typeof runBuiltin>, actor: 'server' | 'client') =>
  r.trace.filter((t) => t.actor === actor && t.event.type === 'network').map((t) => ({ at: t.at, text: t.event.type === 'network' ? t.event.text : '' }));

describe('seed-flaw-loss', () => {
  it('6 consecutive losses of the ACK segment: a tail loss probe, then RTOs doubling, still late; closed at 65.03 s', () => {
    const r = runBuiltin('seed-flaw-loss');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive', closedAt: 65_030 * MS });
    const notes = netNotes(r, 'client').filter((n) => n.text.startsWith('RTO') || n.text.startsWith('tail loss probe'));
    expect(notes.map((n) => n.text.split(':')[0]?.split(' (')[0])).toEqual(['tail loss probe', 'RTO expired', 'RTO expired', 'RTO expired', 'RTO expired']);
    // The ACK leaves at 60.040 s; the probe goes 2 SRTT + 200 ms later (at most the RTO), each RTO
    // doubles the one before (a kernel timer fires up to 1/8 of its delay late).
    const at = [60_040 * MS, ...notes.map((n) => n.at)];
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(200 * MS);
    expect(gaps[0]).toBeLessThanOrEqual(260 * MS);
    for (let i = 2; i < gaps.length; i++) {
      const want = 2 * (gaps[i - 1] as number);
      expect(Math.abs((gaps[i] as number) - want)).toBeLessThanOrEqual(want / 8);
    }
    expect(r.outcome.tcp.client['scriptedLoss']).toBe(6);
  });
  it('5 losses are survived: the 6th transmission leaves within the Timeout', () => {
    const r = runInput({ ...BUILTIN_SCENARIOS['seed-flaw-loss'], name: 'five', faults: [{ type: 'loseFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, times: 5 }] } as ScenarioInput, 'five');
    expect(r.outcome.closed).toBe(false);
    expect(r.outcome.tcp.client['scriptedLoss']).toBe(5);
  });
});

describe('hol-blocking', () => {
  it('zero loss, yet the server kills a healthy transfer: its PING waits behind megabytes of its own DATA', () => {
    const r = runBuiltin('hol-blocking');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    const ping = sentFrames(r, 'server').find((s) => isKeepalivePing(s.frame));
    const rec = r.trace.find((t) => t.actions.some((a) => a.type === 'sendFrame' && isKeepalivePing(a.frame)));
    const action = rec?.actions.find((a) => a.type === 'sendFrame' && isKeepalivePing(a.frame));
    // The congestion window is full of DATA in flight; the PING waits in the socket behind the rest.
    expect(action?.type === 'sendFrame' ? action.notes.join(' ') : '').toMatch(/queued in the socket: congestion window \d+ full/);
    expect(ping?.arrivesAt).toBeUndefined();
    // The client never reads it before the server gives up 10 s later.
    const read = r.trace.find((t) => t.actor === 'client' && t.event.type === 'frameRead' && isKeepalivePing(t.event.frame));
    expect(read === undefined || read.at > (r.outcome.closedAt ?? 0)).toBe(true);
    expect(r.outcome.closedAt).toBe((ping?.at ?? 0) + 10 * S);
    expect(r.outcome.tcp.server['lost'] ?? 0).toBe(0);
    expect(r.outcome.tcp.client['lost'] ?? 0).toBe(0);
  });
});

describe('nat-idle', () => {
  it('the flow is forgotten after 350 s idle; the next message is dropped and TCP gives up 15 minutes later', () => {
    const r = runBuiltin('nat-idle');
    expect(r.outcome).toMatchObject({ closedBy: 'client', cause: 'tcp_abort' });
    expect(r.outcome.client.kernelAbort).toBe('retransmissions');
    expect(r.outcome.server.state).toBe('open');
    expect(r.outcome.tcp.client['natDropped']).toBeGreaterThan(10);
    expect(r.outcome.closedAt ?? 0).toBeGreaterThan((400 + 924.6) * S);
  });
  it('client keepalive every 5 minutes keeps the flow alive', () => {
    const r = runBuiltin('nat-idle-keepalive');
    expect(r.outcome.closed).toBe(false);
    expect(r.outcome.tcp.client['natDropped'] ?? 0).toBe(0);
  });
});

describe('gc-pause', () => {
  it('a 6 s stop-the-world on a healthy client outlasts the 5 s Timeout', () => {
    const r = runBuiltin('gc-pause');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive', closedAt: 65_030 * MS });
    const ackSent = sentFrames(r, 'client').find((s) => s.frame.type === 'PING' && s.frame.ack && s.frame.payload === 'keepalive');
    expect(ackSent?.at).toBe(66 * S);
  });
});

describe('user-timeout', () => {
  it('v1.46+: the kernel aborts TCP_USER_TIMEOUT (20 s) after the first RTO retransmission, before keepalive', () => {
    const r = runBuiltin('user-timeout');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'tcp_abort' });
    expect(r.outcome.server.kernelAbort).toBe('user-timeout');
    // The tail loss probe does not start the clock (it sets no retrans_stamp); the first RTO does.
    const firstRto = netNotes(r, 'server').find((n) => n.text.startsWith('RTO'))?.at ?? 0;
    expect(netNotes(r, 'server').findIndex((n) => n.text.startsWith('tail loss probe'))).toBe(0);
    expect((r.outcome.closedAt ?? 0) - firstRto).toBeGreaterThanOrEqual(20 * S);
    // ... the last timer, clamped to the time left, fires on the timer wheel (at most 1/8 late).
    expect((r.outcome.closedAt ?? 0) - firstRto).toBeLessThanOrEqual(20 * S + 20 * S / 8);
  });
  it('v1.45: no TCP_USER_TIMEOUT, so keepalive closes at the last read + Time + Timeout', () => {
    const input = BUILTIN_SCENARIOS['user-timeout'];
    const r = runInput({ ...input, name: 'user-timeout-145', server: { ...input?.server, version: '1.45.0' } } as ScenarioInput, 'v1.45');
    const lastRead = Math.max(...r.trace.filter((t) => t.actor === 'server' && t.event.type === 'frameRead').map((t) => t.at));
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'keepalive' });
    expect(r.outcome.closedAt).toBe(lastRead + 80 * S);
  });
});

// Pinned values: a change here means the model changed; say why in the commit. (They moved when
// the TCP model became Linux's: TCP keepalive probes no longer refresh the receiver's timer, the
// timer wheel, tail loss probes and delayed ACKs; docs/transport.md.)
describe('lossy-mobile (seeded regression)', () => {
  it('Bernoulli 3%: seed 1 dies at 405.505 s by a kernel abort (TCP keepalive probe + TCP_USER_TIMEOUT), and the client reads RST', () => {
    const r = runBuiltin('lossy-mobile');
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'tcp_abort' });
    expect(r.outcome.server.kernelAbort).toBe('tcp-keepalive');
    expect(Math.round((r.outcome.closedAt ?? 0) / MS)).toBe(405_505);
    expect(r.outcome.client).toMatchObject({ cause: 'reset', socketSaw: 'RST' });
  });
  it('bursty: seed 1 dies at 4411 s by the same kernel abort', () => {
    const r = runBuiltin('lossy-mobile-bursty');
    expect(r.outcome.closed).toBe(true);
    expect(r.outcome.server.kernelAbort).toBe('tcp-keepalive');
    expect(Math.round((r.outcome.closedAt ?? 0) / S)).toBe(4411);
  });
});

describe('after a kernel abort', () => {
  it('the connection is gone on that host: the peer\'s next segment draws an RST ("connection reset by peer")', () => {
    const input = BUILTIN_SCENARIOS['user-timeout'];
    const r = runInput(
      {
        ...input,
        name: 'abort-then-data',
        workload: [{ type: 'stream', at: '0s', server: { every: '5s', size: 300, first: '1s' }, client: { every: '20s', size: 100 } }],
        faults: [{ type: 'partition', from: '30s', until: '60s' }],
      } as ScenarioInput,
      'abort-then-data',
    );
    expect(r.outcome).toMatchObject({ closedBy: 'server', cause: 'tcp_abort' });
    expect(r.outcome.server.kernelAbort).toBe('user-timeout');
    expect(r.outcome.client).toMatchObject({ state: 'closed', cause: 'reset', socketSaw: 'RST' });
    expect(r.outcome.client.closedAt ?? 0).toBeGreaterThan(60 * S);
  });
});
