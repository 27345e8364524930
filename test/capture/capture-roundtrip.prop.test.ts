/**
 * Properties of writer + reader + reassembly together: what the writer writes the reader reads
 * back; any split of two byte streams into segments, shuffled and duplicated in the file,
 * reassembles to the same bytes; HTTP/2 frames split over segments come back in order.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  analyzeCapture,
  decodePacket,
  readCapture,
  withHandshake,
  writePcap,
  type PcapTcpPacket,
  type RelativeSegment,
  type Side,
} from '../../src/capture/capture.js';
import { CLIENT_PREFACE, encodeFrame } from '../../src/wire/frame-codec.js';
import { wireFrame } from '../wire/wire-frame-arbitraries.js';
import { concat } from './capture-builders.js';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const side = fc.constantFrom<Side>('client', 'server');

const packetArb = fc.record({
  gap: fc.integer({ min: 0, max: 5_000_000_000 }),
  from: side,
  flags: fc.record({ syn: fc.boolean(), ack: fc.boolean(), fin: fc.boolean(), rst: fc.boolean(), psh: fc.boolean() }),
  seq: u32,
  ack: u32,
  payload: fc.uint8Array({ maxLength: 80 }),
  window: fc.integer({ min: 0, max: 0xffff }),
});

/** Cut `bytes` at sorted distinct points into [offset, piece] segments. */
const pieces = (bytes: Uint8Array, cuts: readonly number[]): [number, Uint8Array][] => {
  const points = [...new Set([0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  const out: [number, Uint8Array][] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    out.push([a, bytes.subarray(a, b)]);
  }
  return out;
};

/**
 * Segments for both streams, put in file order by `order` (a permutation key per segment) with
 * `dups` extra copies, then given increasing times in that order.
 */
const script = (client: Uint8Array, server: Uint8Array, cutsC: number[], cutsS: number[], keys: number[], dups: number[]): RelativeSegment[] => {
  const segs = [
    ...pieces(client, cutsC).map(([seq, payload]) => ({ from: 'client' as const, seq, payload })),
    ...pieces(server, cutsS).map(([seq, payload]) => ({ from: 'server' as const, seq, payload })),
  ];
  const withDups = [...segs, ...dups.map((d) => segs[d % segs.length]).filter((s) => s !== undefined)];
  const order = withDups.map((s, i) => ({ s, key: keys[i % Math.max(1, keys.length)] ?? 0, i })).sort((a, b) => a.key - b.key || a.i - b.i);
  return order.map(({ s }, i) => ({ ...s, at: (i + 1) * 1_000_000, ack: 0 }));
};

describe('capture round trips', () => {
  test.prop([fc.array(packetArb, { maxLength: 30 }), fc.bigInt({ min: 0n, max: 4_000_000_000_000_000_000n })])(
    'writePcap then read: every packet decodes to the same TCP segment',
    (specs, epochNanos) => {
      let at = 0;
      const packets: PcapTcpPacket[] = specs.map(({ gap, ...p }) => ({ ...p, at: (at += gap) }));
      const file = readCapture(writePcap(packets, { epochNanos }));
      expect(file.packets).toHaveLength(packets.length);
      if (packets.length > 0) expect(file.startEpochNanos).toBe(epochNanos + BigInt(packets[0]?.at ?? 0));
      file.packets.forEach((raw, i) => {
        const p = packets[i];
        if (p === undefined) throw new Error('missing');
        const d = decodePacket(raw);
        const [src, dst] = p.from === 'client' ? ['10.0.0.2', '10.0.0.1'] : ['10.0.0.1', '10.0.0.2'];
        expect(d).toEqual({
          kind: 'tcp',
          segment: {
            packet: i,
            at: p.at - (packets[0]?.at ?? 0),
            ipVersion: 4,
            src,
            dst,
            srcPort: p.from === 'client' ? 50000 : 50051,
            dstPort: p.from === 'client' ? 50051 : 50000,
            seq: p.seq,
            ack: p.flags.ack ? p.ack : 0,
            flags: p.flags,
            window: p.window,
            payload: p.payload,
            payloadLength: p.payload.length,
          },
        });
      });
    },
  );

  test.prop([
    fc.uint8Array({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(fc.nat(), { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 40 }),
    fc.array(fc.nat(), { maxLength: 6 }),
    u32,
    u32,
  ])('shuffled and duplicated segments reassemble to the same bytes, across sequence wraparound', (client, server, cutsC, cutsS, keys, dups, clientIsn, serverIsn) => {
    const segments = script(client, server, cutsC, cutsS, keys, dups);
    const a = analyzeCapture(writePcap(withHandshake(segments, { clientIsn, serverIsn, synAt: 0 })));
    expect(a.connections).toHaveLength(1);
    const tcp = a.connections[0]?.tcp;
    expect(tcp?.fromInitiator.bytes).toEqual(client);
    expect(tcp?.fromResponder.bytes).toEqual(server);
    expect(tcp?.fromInitiator.gap).toBeUndefined();
    expect(tcp?.fromResponder.gap).toBeUndefined();
    // Each byte becomes readable no earlier than the packet carrying it, and offsets only grow with time.
    for (const d of [tcp?.fromInitiator, tcp?.fromResponder]) {
      const times = (d?.chunks ?? []).map((c) => c.at);
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
  });

  test.prop([
    fc.array(wireFrame, { maxLength: 12 }),
    fc.array(wireFrame, { maxLength: 12 }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.array(fc.nat(), { maxLength: 20 }),
  ])('HTTP/2 frames split over shuffled segments come back in order, per direction', (clientFrames, serverFrames, cutsC, cutsS, keys) => {
    const client = concat(CLIENT_PREFACE, ...clientFrames.map((f) => encodeFrame(f)));
    const server = concat(...serverFrames.map((f) => encodeFrame(f)));
    const a = analyzeCapture(writePcap(withHandshake(script(client, server, cutsC, cutsS, keys, []), { synAt: 0 })));
    const c = a.connections[0];
    expect(c?.protocol).toBe('http2');
    expect(c?.errors).toEqual([]);
    expect(c?.frames.filter((f) => f.from === 'client').map((f) => f.frame)).toEqual(clientFrames);
    expect(c?.frames.filter((f) => f.from === 'server').map((f) => f.frame)).toEqual(serverFrames);
    const times = (c?.frames ?? []).map((f) => f.at);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});
