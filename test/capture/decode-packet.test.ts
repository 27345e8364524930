import { describe, expect, it } from 'vitest';
import { decodePacket, LINK_TYPES, type PcapTcpPacket, type RawPacket } from '../../src/capture/capture.js';
import { concat, ethernetFrame, ethernetWithVlans, ipv4Packet, ipv6Packet, NO_FLAGS, nullFrame, sll2Frame, sllFrame, tcpBytes } from './capture-builders.js';

const payload = new TextEncoder().encode('hello');
const packet: PcapTcpPacket = { at: 0, from: 'client', flags: { ...NO_FLAGS, ack: true, psh: true }, seq: 0xfffffff0, ack: 77, payload, window: 1234 };

const raw = (linkType: number, data: Uint8Array, originalLength = data.length): RawPacket => ({
  index: 3,
  fileOffset: 0,
  interfaceId: 0,
  linkType,
  epochNanos: 0n,
  at: 42,
  originalLength,
  data,
  truncated: data.length < originalLength,
});

const expectedSegment = (src: string, dst: string, ipVersion: 4 | 6) => ({
  packet: 3,
  at: 42,
  ipVersion,
  src,
  dst,
  srcPort: 50000,
  dstPort: 50051,
  seq: 0xfffffff0,
  ack: 77,
  flags: { syn: false, ack: true, fin: false, rst: false, psh: true },
  window: 1234,
  payload,
  payloadLength: 5,
});

const v4 = expectedSegment('10.0.0.2', '10.0.0.1', 4);
const v6 = expectedSegment('2001:db8::2', '2001:db8::1', 6);
const ip4 = ipv4Packet(packet);
const ip6 = ipv6Packet(tcpBytes(packet));

describe('link layers down to TCP', () => {
  const cases: [string, number, Uint8Array, typeof v4][] = [
    ['Ethernet', LINK_TYPES.ETHERNET, ethernetFrame(packet), v4],
    ['Ethernet with two 802.1Q tags, IPv6', LINK_TYPES.ETHERNET, ethernetWithVlans(ip6, 6, [10, 20]), v6],
    ['raw IPv4', LINK_TYPES.RAW, ip4, v4],
    ['raw IPv6', LINK_TYPES.RAW, ip6, v6],
    ['IPv4 link type', LINK_TYPES.IPV4, ip4, v4],
    ['IPv6 link type', LINK_TYPES.IPV6, ip6, v6],
    ['Linux SLL', LINK_TYPES.LINUX_SLL, sllFrame(ip4, 4), v4],
    ['Linux SLL2, IPv6', LINK_TYPES.LINUX_SLL2, sll2Frame(ip6, 6), v6],
    ['BSD loopback, little-endian AF_INET', LINK_TYPES.NULL, nullFrame(ip4, 2, true), v4],
    ['BSD loopback, big-endian AF_INET6 (macOS 30)', LINK_TYPES.NULL, nullFrame(ip6, 30, false), v6],
  ];
  for (const [name, linkType, data, expected] of cases) {
    it(name, () => {
      expect(decodePacket(raw(linkType, data))).toEqual({ kind: 'tcp', segment: expected });
    });
  }

  it('ignores Ethernet padding after the IP packet (payload length comes from the IP header)', () => {
    const small = { ...packet, payload: new Uint8Array(0) };
    const padded = concat(ethernetFrame(small), new Uint8Array(6));
    const d = decodePacket(raw(LINK_TYPES.ETHERNET, padded));
    expect(d.kind === 'tcp' && [d.segment.payload.length, d.segment.payloadLength]).toEqual([0, 0]);
  });

  it('skips IPv4 options by the header length', () => {
    const withOptions = concat(ip4.subarray(0, 20), Uint8Array.of(1, 1, 1, 0), ip4.subarray(20));
    withOptions[0] = 0x46;
    new DataView(withOptions.buffer).setUint16(2, withOptions.length);
    expect(decodePacket(raw(LINK_TYPES.RAW, withOptions))).toEqual({ kind: 'tcp', segment: v4 });
  });

  it('skips IPv6 hop-by-hop, routing and destination-options headers, and an atomic fragment header', () => {
    const ext8 = new Uint8Array(8);
    const ext16 = Uint8Array.of(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const data = ipv6Packet(tcpBytes(packet), [[0, ext8], [43, ext16], [60, ext8], [44, new Uint8Array(8)]]);
    expect(decodePacket(raw(LINK_TYPES.RAW, data))).toEqual({ kind: 'tcp', segment: v6 });
  });

  it('reports IPv4 and IPv6 fragments without reassembling them', () => {
    const frag = ip4.slice();
    frag[6] = 0x20; // more fragments
    expect(decodePacket(raw(LINK_TYPES.RAW, frag))).toMatchObject({ kind: 'skip', reason: 'ip-fragment', packet: 3 });
    const frag6 = ipv6Packet(tcpBytes(packet), [[44, Uint8Array.of(0, 0, 0, 8, 0, 0, 0, 9)]]); // offset 8
    expect(decodePacket(raw(LINK_TYPES.RAW, frag6))).toMatchObject({ kind: 'skip', reason: 'ip-fragment' });
  });

  it('a snapshot-length cut keeps the captured payload and the wire length', () => {
    const full = ethernetFrame(packet);
    const d = decodePacket(raw(LINK_TYPES.ETHERNET, full.subarray(0, full.length - 3), full.length));
    expect(d.kind === 'tcp' && [d.segment.payload.length, d.segment.payloadLength]).toEqual([2, 5]);
  });

  it('skips what is not TCP over IP, or is malformed, with a reason', () => {
    const arp = concat(new Uint8Array(12), Uint8Array.of(0x08, 0x06), new Uint8Array(28));
    expect(decodePacket(raw(LINK_TYPES.ETHERNET, arp))).toMatchObject({ kind: 'skip', reason: 'not-ip', detail: 'ethertype 0x0806' });
    const udp = ip4.slice();
    udp[9] = 17;
    expect(decodePacket(raw(LINK_TYPES.RAW, udp))).toMatchObject({ kind: 'skip', reason: 'not-tcp' });
    expect(decodePacket(raw(147, ip4))).toMatchObject({ kind: 'skip', reason: 'link-type' });
    const badOffset = ip4.slice();
    badOffset[20 + 12] = 0x40; // TCP data offset 16 < 20
    expect(decodePacket(raw(LINK_TYPES.RAW, badOffset))).toMatchObject({ kind: 'skip', reason: 'malformed' });
    const longer = ip4.slice();
    new DataView(longer.buffer).setUint16(2, 200); // total length past the frame, not a snaplen cut
    expect(decodePacket(raw(LINK_TYPES.RAW, longer))).toMatchObject({ kind: 'skip', reason: 'malformed' });
    expect(decodePacket(raw(LINK_TYPES.ETHERNET, new Uint8Array(13)))).toMatchObject({ kind: 'skip', reason: 'truncated' });
  });
});
