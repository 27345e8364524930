/**
 * A real capture: Node's http2 client and server on loopback (test/fixtures/record-node-http2-ping.ts).
 * The times and packet numbers below are those Wireshark shows for the same file
 * (`tshark -r test/fixtures/node-http2-ping.pcapng -d tcp.port==33529,http2`), and the last test
 * checks every frame against tshark's own dissection when tshark is installed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type CaptureAnalysis, type Http2Connection } from '../../src/capture/capture.js';
import { hasTshark, tshark } from './tshark.js';

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const pcapng = fixture('node-http2-ping.pcapng');
const pcap = fixture('node-http2-ping.pcap');
const analyze = (path: string): CaptureAnalysis => analyzeCapture(new Uint8Array(readFileSync(path)));
const only = (a: CaptureAnalysis): Http2Connection => {
  expect(a.connections).toHaveLength(1);
  const [c] = a.connections;
  if (c === undefined) throw new Error('no connection');
  return c;
};
const PING_PAYLOAD = [...new TextEncoder().encode('kpsimPNG')];
const kinds = (c: Http2Connection): string[] =>
  c.frames.map((f) => `${f.from} ${f.frame.type}${'ack' in f.frame && f.frame.ack ? ' ACK' : ''}`);

describe('real capture: Node http2 over loopback', () => {
  const ng = analyze(pcapng);
  const c = only(ng);

  it('is one HTTP/2 connection whose client (the SYN sender) sent the preface', () => {
    expect(ng.file.format).toBe('pcapng');
    expect(ng.summary).toMatchObject({ packets: 27, tcpSegments: 27, truncatedPackets: 0 });
    expect(c.protocol).toBe('http2');
    expect(c.tcp.opening).toBe('syn');
    expect(c.client).toEqual(c.tcp.initiator);
    expect(c.client).toEqual({ address: '127.0.0.1', port: 39668 });
    expect(c.server).toEqual({ address: '127.0.0.1', port: 33529 });
    expect(c.errors).toEqual([]);
    for (const d of [c.directions.client, c.directions.server]) {
      expect(d.counts).toMatchObject({ retransmissions: 0, outOfOrder: 0, gaps: 0 });
      expect(d.trailingBytes).toBe(0);
    }
  });

  it('has SETTINGS both ways, each acknowledged, before the PING and its ACK', () => {
    const k = kinds(c);
    for (const f of ['client SETTINGS', 'server SETTINGS', 'client SETTINGS ACK', 'server SETTINGS ACK']) expect(k).toContain(f);
    const pingAt = k.indexOf('client PING');
    const ackAt = k.indexOf('server PING ACK');
    expect(k.filter((x) => x.includes('PING'))).toEqual(['client PING', 'server PING ACK']);
    expect(Math.max(...['client SETTINGS ACK', 'server SETTINGS ACK'].map((x) => k.indexOf(x)))).toBeLessThan(pingAt);
    expect(pingAt).toBeLessThan(ackAt);
  });

  it('the PING ACK echoes the 8-byte payload; times are those of packets 12 and 13', () => {
    const pings = c.frames.filter((f) => f.frame.type === 'PING');
    expect(pings.map((f) => (f.frame.type === 'PING' ? [...f.frame.opaqueData] : []))).toEqual([PING_PAYLOAD, PING_PAYLOAD]);
    expect(pings.map((f) => [f.packet + 1, f.at])).toEqual([
      [12, 58_763_934],
      [13, 58_799_248],
    ]);
    expect(ng.file.startEpochNanos).toBe(1_795_545_546_330_617_913n);
  });

  it('ends with GOAWAY both ways and a FIN from the client first', () => {
    expect(kinds(c).slice(-4)).toEqual(['client GOAWAY', 'client GOAWAY', 'server GOAWAY', 'server GOAWAY']);
    expect(c.end).toEqual({ state: 'closed', first: { by: 'client', kind: 'fin', at: 165_114_079 } });
    expect(c.directions.server.fin).toBe(165_451_882);
    expect(c.endedAt).toBe(165_459_267);
  });

  it('the classic-pcap copy (microsecond timestamps) reads to the same frames, times within 1 µs', () => {
    const classic = analyze(pcap);
    const p = only(classic);
    expect(classic.file.format).toBe('pcap');
    expect(classic.file.interfaces[0]?.tsUnit).toEqual({ num: 1000n, den: 1n });
    expect(p.frames.map((f) => [f.from, f.offset, f.packet, f.frame])).toEqual(c.frames.map((f) => [f.from, f.offset, f.packet, f.frame]));
    p.frames.forEach((f, i) => expect(Math.abs(f.at - (c.frames[i]?.at ?? Number.NaN))).toBeLessThanOrEqual(1000));
  });

  it.skipIf(!hasTshark)('every frame matches tshark\'s dissection (packet number and frame types)', () => {
    const out = tshark(['-r', pcapng, '-d', `tcp.port==${c.server.port},http2`, '-Y', 'http2', '-T', 'fields', '-e', 'frame.number', '-e', 'http2.type']);
    const theirs = out.trim().split('\n').map((line) => {
      const [num, types] = line.split('\t');
      return [Number(num), (types ?? '').split(',').filter((t) => t !== '').map(Number)];
    }).filter(([, types]) => (types as number[]).length > 0);
    const codes = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
    const ours = new Map<number, number[]>();
    for (const f of c.frames) {
      const code = f.frame.type === 'UNKNOWN' ? f.frame.typeCode : codes[f.frame.type];
      ours.set(f.packet + 1, [...(ours.get(f.packet + 1) ?? []), code]);
    }
    expect([...ours.entries()]).toEqual(theirs);
  });
});
