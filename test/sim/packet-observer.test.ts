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
  it('seed-flaw-loss: the PING ACK segment goes out 5 times with one seq, all lost to the fault, at the RTO times', () => {
    const { packets } = observed('seed-flaw-loss');
    const carrying = packets.filter((p) => p.kind === 'data' && p.from === 'client' && (p.frames ?? []).some((s) => isKeepaliveAck(s.frame)));
    // The run ends when the server closes at 65.03 s, before a 6th transmission (+6820 ms) is due.
    expect(carrying.map((p) => p.tx)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(carrying.map((p) => p.seq)).size).toBe(1);
    expect(new Set(carrying.map((p) => p.len)).size).toBe(1);
    expect(carrying.every((p) => p.lost === true && p.why === 'scripted' && p.arriveAt === undefined)).toBe(true);
    // The original leaves at 60.040 s, retransmissions 220, 660, 1540, 3300 ms later (RTO doubling from 220 ms).
    expect(carrying.map((p) => p.departAt)).toEqual([60_040, 60_260, 60_700, 61_580, 63_340].map((x) => x * MS));
    // The segment's bytes are exactly the frame's: seq is where the frame starts in the client's stream.
    const first = carrying[0];
    const slice = first?.frames?.find((s) => isKeepaliveAck(s.frame));
    expect(slice?.start).toBe(first?.seq);
    expect(slice?.end).toBe((first?.seq ?? 0) + (first?.len ?? 0));
    // The client's pure ACK of the server's PING gets through: only the fault's segment is lost.
    const ack = packets.find((p) => p.from === 'client' && p.kind === 'ack' && p.departAt >= 60_000 * MS);
    expect(ack?.departAt).toBe(60_040 * MS);
    expect(ack?.arriveAt).toBe(60_050 * MS);
  });

  it('lossy-mobile: every retransmission repeats the seq of an earlier transmission from the same side', () => {
    // Seed 3 lives long enough (seed 1 is cut at 165 s, before any data segment is lost).
    const { packets } = observed('lossy-mobile', 3);
    const data = packets.filter((p) => p.kind === 'data' || p.kind === 'fin');
    const retx = data.filter((p) => (p.tx ?? 1) > 1);
    expect(retx.length).toBeGreaterThan(0);
    expect(data.some((p) => p.lost === true && p.why === 'loss')).toBe(true);
    for (const p of retx) {
      const original = data.find((q) => q.from === p.from && q.seq === p.seq && q.tx === 1);
      expect(original).toBeDefined();
      expect(original?.len).toBe(p.len);
      expect(original?.departAt ?? Infinity).toBeLessThan(p.departAt);
    }
  });

  it('sees pure ACKs and TCP keepalive probes with their ACKs; ACK numbers never go back', () => {
    const { packets } = observed('seed-fix-idle');
    const kinds = new Set(packets.map((p) => p.kind));
    expect(kinds).toContain('ack');
    expect(kinds).toContain('keepalive');
    expect(kinds).toContain('keepaliveAck');
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
    // A probe carries snd_una - 1: one below the sender's next byte when nothing is in flight.
    const probe = packets.find((p) => p.kind === 'keepalive');
    const before = packets.filter((p) => p.from === probe?.from && p.kind === 'data' && p.departAt <= (probe?.departAt ?? 0)).at(-1);
    expect(probe?.seq).toBe((before?.seq ?? 0) + (before?.len ?? 0) - 1);
  });

  it('sees the FIN that ends a connection and the RST a NAT sends', () => {
    expect(observed('seed-flaw').packets.some((p) => p.kind === 'fin' && p.from === 'server' && p.len === 1)).toBe(true);
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
