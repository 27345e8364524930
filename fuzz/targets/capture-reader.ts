import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { analyzeCapture, CaptureError, LINK_TYPES, withHandshake, writePcap, writePcapng } from '../../src/capture/capture.js';
import { CLIENT_PREFACE, encodeFrame } from '../../src/wire/frame-codec.js';
import type { FuzzTarget } from '../target.js';
import { concatBytes } from '../../src/lib/bytes.js';

/**
 * Capture files, valid or not, are read and analysed to the end: the result, or a CaptureError
 * naming the rule and byte offset. Any other exception is a defect, and so is an analysis that
 * contradicts itself (frames out of time order, more delivered bytes than the file holds).
 */
function check(bytes: Uint8Array): void {
  let a;
  try {
    a = analyzeCapture(bytes);
  } catch (e) {
    if (e instanceof CaptureError && Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length) return;
    throw e;
  }
  if (a.summary.packets !== a.file.packets.length) throw new Error('summary packet count differs from the packets read');
  let delivered = 0;
  for (const c of a.connections) {
    for (let i = 1; i < c.frames.length; i++) {
      if ((c.frames[i]?.at ?? 0) < (c.frames[i - 1]?.at ?? 0)) throw new Error(`connection ${c.id}: frames out of time order`);
    }
    delivered += c.directions.client.bytes + c.directions.server.bytes;
  }
  if (delivered > bytes.length) throw new Error(`delivered ${delivered} stream bytes from a ${bytes.length}-byte file`);
}

/** A small h2c exchange: handshake, preface, SETTINGS both ways, PING and ACK, FINs. */
const exchange = (): Uint8Array => {
  const c1 = concatBytes([CLIENT_PREFACE, encodeFrame({ type: 'SETTINGS', ack: false, settings: [{ id: 3, value: 100 }] })]);
  const s1 = encodeFrame({ type: 'SETTINGS', ack: false, settings: [] });
  const p = encodeFrame({ type: 'PING', ack: false, opaqueData: new Uint8Array(8).fill(7) });
  const pa = encodeFrame({ type: 'PING', ack: true, opaqueData: new Uint8Array(8).fill(7) });
  return writePcap(
    withHandshake([
      { at: 1_000_000, from: 'client', seq: 0, ack: 0, payload: c1 },
      { at: 2_000_000, from: 'server', seq: 0, ack: c1.length, payload: s1 },
      { at: 3_000_000, from: 'client', seq: c1.length, ack: s1.length, payload: p },
      { at: 4_000_000, from: 'server', seq: s1.length, ack: c1.length + p.length, payload: pa },
      { at: 5_000_000, from: 'client', seq: c1.length + p.length, ack: s1.length + pa.length, fin: true },
    ]),
  );
};

/** The exchange's Ethernet frames re-wrapped as pcapng: two sections, both byte orders, EPB/SPB/OPB and a skipped block. */
const asPcapng = (pcap: Uint8Array): Uint8Array => {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const frames: Uint8Array[] = [];
  for (let at = 24; at + 16 <= pcap.length; ) {
    const len = view.getUint32(at + 8, true);
    frames.push(pcap.subarray(at + 16, at + 16 + len));
    at += 16 + len;
  }
  const half = Math.ceil(frames.length / 2);
  return writePcapng([
    {
      littleEndian: true,
      interfaces: [{ linkType: LINK_TYPES.ETHERNET, tsresol: 9, name: 'lo' }, { linkType: LINK_TYPES.RAW, tsresol: 0x80 | 20 }],
      blocks: frames.slice(0, half).map((data, i) =>
        i % 3 === 2 ? { type: 'spb' as const, data } : { type: i % 3 === 1 ? ('opb' as const) : ('epb' as const), interfaceId: 0, ticks: BigInt(i) * 1_000_000n, data },
      ),
    },
    {
      littleEndian: false,
      interfaces: [{ linkType: LINK_TYPES.ETHERNET, tsoffsetSeconds: 5n }],
      blocks: [{ type: 'other', blockType: 5, body: new Uint8Array(8) }, ...frames.slice(half).map((data, i) => ({ type: 'epb' as const, interfaceId: 0, ticks: BigInt(i) * 1000n, data }))],
    },
  ]);
};

const fixture = (name: string): Uint8Array[] => {
  const url = new URL(`../../test/fixtures/${name}`, import.meta.url);
  return existsSync(url) ? [new Uint8Array(readFileSync(url))] : [];
};

const SEEDS: readonly Uint8Array[] = (() => {
  const pcap = exchange();
  return [pcap, asPcapng(pcap), ...fixture('node-http2-ping.pcapng'), ...fixture('node-http2-ping.pcap')];
})();

/** A seed with byte edits (biased towards header-sized values), an optional cut and an optional repeated slice. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .record({
    seed: fc.nat({ max: SEEDS.length - 1 }),
    edits: fc.array(
      fc.record({ at: fc.nat(), value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 0x7f, 0x80, 0xff)), width: fc.constantFrom(1, 1, 1, 4) }),
      { maxLength: 8 },
    ),
    // Mostly whole files: a cut almost always lands inside a record and stops the reader early.
    cut: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.nat(), weight: 1 }),
    repeat: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.tuple(fc.nat(), fc.nat({ max: 64 })), weight: 1 }),
  })
  .map(({ seed, edits, cut, repeat }) => {
    const base = SEEDS[seed] ?? new Uint8Array(0);
    let out: Uint8Array = base.slice();
    for (const e of edits) {
      for (let k = 0; k < e.width && out.length > 0; k++) out[(e.at + k) % out.length] = e.width === 4 ? (k === 0 ? e.value : 0xff) : e.value;
    }
    if (repeat !== undefined && out.length > 0) {
      const from = repeat[0] % out.length;
      out = concatBytes([out, out.subarray(from, from + repeat[1])]);
    }
    return cut === undefined || out.length === 0 ? out : out.subarray(0, cut % (out.length + 1));
  });

/** Random bytes, alone or after a valid libpcap file header or pcapng SHB + IDBs (so the reader gets past the magic). */
const randomTail: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom(0, 24, 28 + 32), fc.nat({ max: 1 }), fc.uint8Array({ maxLength: 512 }))
  .map(([head, seed, tail]) => concatBytes([(SEEDS[seed] ?? new Uint8Array(0)).subarray(0, head), tail]));

/** What the target feeds: mostly mutated valid captures, some random bytes. */
export const captureInputs: fc.Arbitrary<Uint8Array> = fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: randomTail, weight: 1 });

export const target: FuzzTarget<Uint8Array> = {
  name: 'capture-reader',
  description: 'random bytes and mutated pcap/pcapng files give an analysis or a CaptureError with a valid offset, never another exception',
  property: (onRun) =>
    fc.property(captureInputs, (input) => {
      onRun();
      check(input);
    }),
  save: (input) => input,
  load: (bytes) => bytes,
  check,
};
