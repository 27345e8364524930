import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCapture, withHandshake, writePcap, type RelativeSegment } from '../../src/capture/capture.js';
import { internetChecksum } from '../../src/capture/internet-checksum.js';
import { CLIENT_PREFACE, encodeFrame, type WireFrame } from '../../src/wire/frame-codec.js';
import { concat } from './capture-builders.js';
import { hasTshark, tshark } from './tshark.js';

const MS = 1_000_000;
const enc = (...frames: WireFrame[]): Uint8Array => concat(...frames.map((f) => encodeFrame(f)));
const ping: WireFrame = { type: 'PING', ack: false, opaqueData: Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2) };
const c1 = concat(CLIENT_PREFACE, enc({ type: 'SETTINGS', ack: false, settings: [{ id: 4, value: 1 << 20 }] }));
const s1 = enc({ type: 'SETTINGS', ack: false, settings: [] }, { type: 'SETTINGS', ack: true, settings: [] });
const c2 = enc({ type: 'SETTINGS', ack: true, settings: [] }, ping);
const s2 = enc({ ...ping, ack: true });
/** An exchange as a simulator would describe it: relative sequence numbers, one retransmission, FINs. */
const script: RelativeSegment[] = [
  { at: 1 * MS, from: 'client', seq: 0, ack: 0, payload: c1, psh: true },
  { at: 2 * MS, from: 'server', seq: 0, ack: c1.length, payload: s1, psh: true },
  { at: 3 * MS, from: 'client', seq: c1.length, ack: s1.length, payload: c2, psh: true },
  { at: 250 * MS, from: 'client', seq: c1.length, ack: s1.length, payload: c2, psh: true }, // retransmission
  { at: 251 * MS, from: 'server', seq: s1.length, ack: c1.length + c2.length, payload: s2, psh: true },
  { at: 260 * MS, from: 'client', seq: c1.length + c2.length, ack: s1.length + s2.length, fin: true },
  { at: 261 * MS, from: 'server', seq: s1.length + s2.length, ack: c1.length + c2.length + 1, fin: true },
  { at: 262 * MS, from: 'client', seq: c1.length + c2.length + 1, ack: s1.length + s2.length + 1 },
];
// ISNs just below 2^32 so both directions wrap.
const packets = withHandshake(script, { clientIsn: 0xffff_ff00, serverIsn: 0xffff_fff0 });

describe('libpcap writer', () => {
  it('computes the RFC 1071 checksum (the worked IPv4 header example, checksum 0xb861)', () => {
    const header = Uint8Array.from([0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7]);
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0); // a header with its checksum in place sums to zero
  });

  it('the handshake helper turns relative numbers into absolute ones from the ISNs', () => {
    expect(packets.slice(0, 4).map((p) => [p.from, p.flags.syn, p.flags.ack, p.seq, p.ack, p.at])).toEqual([
      ['client', true, false, 0xffff_ff00, 0, 1 * MS - 300_000],
      ['server', true, true, 0xffff_fff0, 0xffff_ff01, 1 * MS - 200_000],
      ['client', false, true, 0xffff_ff01, 0xffff_fff1, 1 * MS - 100_000],
      ['client', false, true, 0xffff_ff01, 0xffff_fff1, 1 * MS],
    ]);
    expect(packets[5]?.seq).toBe((0xffff_ff01 + c1.length) >>> 0);
  });

  it('reads back as one HTTP/2 connection with the retransmission counted and its bytes delivered once', () => {
    const [c] = analyzeCapture(writePcap(packets)).connections;
    const zero = packets[0]?.at ?? 0; // capture times count from the first packet, the SYN
    expect(c?.directions.client.counts).toMatchObject({ dataSegments: 3, retransmissions: 1, outOfOrder: 0, gaps: 0 });
    expect(c?.directions.client.bytes).toBe(c1.length + c2.length);
    expect(c?.frames.map((f) => `${(f.at + zero) / MS} ${f.from} ${f.frame.type}`)).toEqual([
      '1 client SETTINGS',
      '2 server SETTINGS',
      '2 server SETTINGS',
      '3 client SETTINGS',
      '3 client PING',
      '251 server PING',
    ]);
    expect(c?.end).toEqual({ state: 'closed', first: { by: 'client', kind: 'fin', at: 260 * MS - zero } });
  });

  it('rejects values that do not fit their fields', () => {
    const p = packets[0];
    if (p === undefined) throw new Error('no packet');
    expect(() => writePcap([{ ...p, seq: 2 ** 32 }])).toThrow(/seq must be a 32-bit/);
    expect(() => writePcap([{ ...p, at: 0.5 }])).toThrow(/integer number of nanoseconds/);
    expect(() => writePcap([p], { client: { address: '10.0.0', port: 1 } })).toThrow(/not an IPv4 address/);
  });

  describe.skipIf(!hasTshark)('tshark reads what it writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpsim-pcap-'));
    const file = join(dir, 'exchange.pcap');
    writeFileSync(file, writePcap(packets));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const fields = (filter: string, ...names: string[]): string[][] =>
      tshark(['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-d', 'tcp.port==50051,http2', '-Y', filter, '-T', 'fields', ...names.flatMap((n) => ['-e', n])])
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t'));

    it('every IPv4 and TCP checksum is good and nothing is malformed', () => {
      expect(fields('ip', 'ip.checksum.status', 'tcp.checksum.status')).toEqual(packets.map(() => ['1', '1']));
      // Expert severities: 0x200000 chat, 0x400000 note (SYN, FIN, the retransmission), 0x600000 warning.
      expect(fields('_ws.malformed || _ws.expert.severity >= 0x600000', 'frame.number')).toEqual([]);
    });

    it('only the retransmission is flagged by TCP analysis', () => {
      expect(fields('tcp.analysis.flags', 'frame.number', 'tcp.analysis.retransmission')).toEqual([['7', '1']]);
    });

    it('relative sequence numbers as Wireshark counts them (SYN = 0) are ours + 1', () => {
      const rel = fields('tcp', 'tcp.seq', 'tcp.ack').slice(3);
      expect(rel).toEqual(script.map((s) => [String(s.seq + 1), String((s.ack ?? -1) + 1)]));
    });

    it('dissects the HTTP/2 frames put in, in order (the retransmission, packet 7, is not dissected twice)', () => {
      expect(fields('http2', 'frame.number', 'http2.type', 'http2.flags')).toEqual([
        ['4', '4', '0x00'],
        ['5', '4,4', '0x00,0x01'],
        ['6', '4,6', '0x01,0x00'],
        ['8', '6', '0x01'],
      ]);
    });
  });
});
