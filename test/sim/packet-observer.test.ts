/** The TCP network's packet observer (RunOptions.onPacket): what it sees, and that it changes nothing. */
import { describe, expect, it } from 'vitest';
import { frameCountKey, type Frame } from '../../src/frames/frame.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { countKey, FrameCounts } from '../../src/sim/frame-counts.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { runScenario } from '../../src/sim/world.js';
import { MS } from '../support/run.js';

const scenario = (name: string) => parseScenario(BUILTIN_SCENARIOS[name], name);
const observed = (name: string, seed?: number) => {
  const packets: PacketRecord[] = [];
  const r = runScenario(scenario(name), { onPacket: (p) => packets.push(p), ...(seed === undefined ? {} : { seed }) });
  return { r, packets };
};
const isKeepaliveAck = (f: Frame) => f.type === 'PING' && f.ack && f.payload === 'keepalive';

describe('packet observer', () => {
  it('seed-flaw-loss: the PING ACK segment goes out 6 times with one seq, all lost to the fault: a tail loss probe, then RTOs doubling', () => {
    const { packets } = observed('seed-flaw-loss');
    const carrying = packets.filter((p) => p.kind === 'data' && p.from === 'client' && (p.frames ?? []).some((s) => isKeepaliveAck(s.frame)));
    // The run ends when the server closes at 65.03 s, before a 7th transmission (+7.4 s) is due.
    expect(carrying.map((p) => p.tx)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(carrying.map((p) => p.retransmit)).toEqual([undefined, 'tlp', 'rto', 'rto', 'rto', 'rto']);
    expect(new Set(carrying.map((p) => p.seq)).size).toBe(1);
    expect(new Set(carrying.map((p) => p.len)).size).toBe(1);
    expect(carrying.every((p) => p.lost === true && p.why === 'scripted' && p.arriveAt === undefined)).toBe(true);
    expect(carrying[0]?.departAt).toBe(60_040 * MS);
    // Each RTO doubles the last; the kernel's timer wheel may fire a timer up to 1/8 of its delay late.
    const gaps = carrying.slice(1).map((p, i) => p.departAt - (carrying[i] as PacketRecord).departAt);
    for (let i = 2; i < gaps.length; i++) {
      const want = 2 * (gaps[i - 1] as number);
      expect(gaps[i]).toBeGreaterThanOrEqual(want - want / 8);
      expect(gaps[i]).toBeLessThanOrEqual(want + want / 8);
    }
    // The segment's bytes are exactly the frame's: seq is where the frame starts in the client's stream.
    const first = carrying[0];
    const slice = first?.frames?.find((s) => isKeepaliveAck(s.frame));
    expect(slice?.start).toBe(first?.seq);
    expect(slice?.end).toBe((first?.seq ?? 0) + (first?.len ?? 0));
    // The client's ACK of the server's PING rode on the lost segment, so the server probed too: its
    // PING's tail loss probe drew a duplicate ACK from the client, which got through.
    const probe = packets.find((p) => p.from === 'server' && p.retransmit === 'tlp');
    const dupack = packets.find((p) => p.from === 'client' && p.kind === 'ack' && p.departAt >= (probe?.arriveAt ?? Infinity));
    expect(dupack?.departAt).toBe(probe?.arriveAt);
    expect(dupack?.arriveAt).toBe((dupack?.departAt ?? 0) + 10 * MS);
  });

  it('lossy-mobile: a retransmission only resends bytes sent before, starting where an earlier transmission started', () => {
    // The first seed (from 1) whose run loses a data segment before it ends.
    let packets: PacketRecord[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      packets = observed('lossy-mobile', seed).packets;
      if (packets.some((p) => p.kind === 'data' && p.lost === true && p.why === 'loss')) break;
    }
    const data = packets.filter((p) => p.kind === 'data' || p.kind === 'fin');
    const retx = data.filter((p) => (p.tx ?? 1) > 1);
    expect(retx.length).toBeGreaterThan(0);
    expect(data.some((p) => p.lost === true && p.why === 'loss')).toBe(true);
    for (const p of retx) {
      const earlier = data.filter((q) => q.from === p.from && q.departAt < p.departAt);
      expect(earlier.some((q) => q.seq === p.seq)).toBe(true);
      expect(p.seq + p.len).toBeLessThanOrEqual(Math.max(...earlier.map((q) => q.seq + q.len)));
    }
  });

  it('sees pure ACKs and TCP keepalive probes; a probe sits one below the sender\'s next byte and is answered by an ACK; ACK numbers never go back', () => {
    const { packets } = observed('seed-fix-idle');
    const kinds = new Set(packets.map((p) => p.kind));
    expect(kinds).toContain('ack');
    expect(kinds).toContain('keepalive');
    // The scenario holds the keepalive PING ACK's bytes 100 s: its segment and every retransmission
    // of it (same seq) are marked held, the first arriving 100 s late.
    const held = packets.filter((p) => p.held === true);
    expect(held.length).toBeGreaterThan(1);
    expect(held.every((p) => p.kind === 'data' && p.seq === held[0]?.seq && p.frames?.some((s) => isKeepaliveAck(s.frame)))).toBe(true);
    expect(held.map((p) => p.tx)).toEqual(held.map((_, i) => i + 1));
    expect((held[0]?.arriveAt ?? 0) - (held[0]?.departAt ?? 0)).toBeGreaterThanOrEqual(100_000 * MS);
    for (const from of ['client', 'server'] as const) {
      const acks = packets.filter((p) => p.from === from && p.kind !== 'rst').map((p) => p.ack);
      expect(acks).toEqual([...acks].sort((a, b) => a - b));
    }
    const probe = packets.find((p) => p.kind === 'keepalive' && p.arriveAt !== undefined);
    const before = packets.filter((p) => p.from === probe?.from && p.kind === 'data' && p.departAt <= (probe?.departAt ?? 0)).at(-1);
    expect(probe?.seq).toBe((before?.seq ?? 0) + (before?.len ?? 0) - 1);
    const answer = packets.find((p) => p.from !== probe?.from && p.kind === 'ack' && p.departAt === probe?.arriveAt);
    expect(answer).toBeDefined();
  });

  it('sees the FIN that ends a connection and the RST a NAT sends', () => {
    expect(observed('gc-pause').packets.some((p) => p.kind === 'fin' && p.from === 'server' && p.len === 1)).toBe(true);
    const nat = parseScenario({ ...BUILTIN_SCENARIOS['nat-idle'], name: 'nat-reset', network: { ...BUILTIN_SCENARIOS['nat-idle']?.network, nat: { idleTimeout: '350s', action: 'reset' } } }, 'test');
    const packets: PacketRecord[] = [];
    runScenario(nat, { onPacket: (p) => packets.push(p) });
    expect(packets.some((p) => p.kind === 'rst' && p.rstBy === 'middlebox')).toBe(true);
    expect(packets.some((p) => p.lost === true && p.why === 'nat')).toBe(true);
  });

  it.each(['seed-flaw', 'seed-flaw-loss', 'lossy-mobile', 'lossy-mobile-bursty', 'nat-idle', 'user-timeout', 'hol-blocking'])(
    '%s: outcome and trace are the same with and without an observer, but for the octets it adds to sent frames',
    (name) => {
      const plain = runScenario(scenario(name));
      const { r, packets } = observed(name);
      expect(packets.length).toBeGreaterThan(0);
      expect(JSON.stringify(r.outcome)).toBe(JSON.stringify(plain.outcome));
      const sends = (t: typeof r.trace) => t.flatMap((x) => x.actions).filter((a) => a.type === 'sendFrame');
      expect(sends(plain.trace).every((a) => a.octets === undefined)).toBe(true);
      expect(sends(r.trace).every((a) => typeof a.octets === 'string' && a.octets.length >= 18)).toBe(true);
      const withoutOctets = JSON.stringify(r.trace, (key, value: unknown) => (key === 'octets' ? undefined : value));
      expect(withoutOctets).toBe(JSON.stringify(plain.trace));
    },
  );
});

describe('countKey', () => {
  it('gives frameCountKey for every kind of frame', () => {
    const frames: Frame[] = [
      { type: 'SETTINGS', ack: false },
      { type: 'SETTINGS', ack: true },
      ...(['keepalive', 'drain', 'bdp', 'other'] as const).flatMap((payload) => [
        { type: 'PING' as const, ack: false, payload },
        { type: 'PING' as const, ack: true, payload },
      ]),
      { type: 'HEADERS', streamId: 1, endStream: false, kind: 'request' },
      { type: 'DATA', streamId: 1, length: 10, endStream: true },
      { type: 'RST_STREAM', streamId: 1, code: 'NO_ERROR' },
      { type: 'GOAWAY', lastStreamId: 1, code: 'NO_ERROR', debugData: '' },
      { type: 'WINDOW_UPDATE', streamId: 0, increment: 5 },
    ];
    for (const f of frames) expect(countKey(f)).toBe(frameCountKey(f));
  });
  it('FrameCounts gives what counting by frameCountKey gives, keys sorted, unseen kinds absent', () => {
    const frames: Frame[] = [
      { type: 'WINDOW_UPDATE', streamId: 0, increment: 5 },
      { type: 'PING', ack: true, payload: 'bdp' },
      { type: 'PING', ack: false, payload: 'keepalive' },
      { type: 'PING', ack: true, payload: 'keepalive' },
      { type: 'SETTINGS', ack: true },
      { type: 'DATA', streamId: 1, length: 10, endStream: true },
    ];
    const counts = new FrameCounts();
    const byKey: Record<string, number> = {};
    for (const f of frames) {
      counts.add(f);
      byKey[frameCountKey(f)] = (byKey[frameCountKey(f)] ?? 0) + 1;
    }
    expect(counts.toRecord()).toEqual(byKey);
    expect(Object.keys(counts.toRecord())).toEqual(Object.keys(byKey).sort());
  });
});
