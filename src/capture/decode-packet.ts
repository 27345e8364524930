import { decodeIpv4, decodeIpv6 } from './ip-packet.js';
import { locateIp } from './link-layer.js';
import type { RawPacket } from './raw-packet.js';
import { decodeTcpHeader, type TcpSegment } from './tcp-segment.js';

const IPPROTO_TCP = 6;

export type SkipReason = 'link-type' | 'not-ip' | 'not-tcp' | 'ip-fragment' | 'malformed' | 'truncated';

/** A packet that does not yield a TCP segment, and why. */
export type SkippedPacket = { readonly packet: number; readonly at: number; readonly reason: SkipReason; readonly detail: string };

export type PacketDecode = { readonly kind: 'tcp'; readonly segment: TcpSegment } | ({ readonly kind: 'skip' } & SkippedPacket);

/** Link layer -> IP -> TCP. Never throws: anything unusable is a `skip` with a reason. */
export const decodePacket = (raw: RawPacket): PacketDecode => {
  const skip = (reason: SkipReason, detail: string): PacketDecode => ({ kind: 'skip', packet: raw.index, at: raw.at, reason, detail });
  const link = locateIp(raw.linkType, raw.data);
  if (link.kind === 'skip') return skip(link.reason, link.detail);
  const ip = link.version === 4 ? decodeIpv4(raw.data, link.offset, raw.truncated) : decodeIpv6(raw.data, link.offset, raw.truncated);
  if (ip.kind === 'skip') return skip(ip.reason, ip.detail);
  const p = ip.packet;
  if (p.protocol !== IPPROTO_TCP) return skip('not-tcp', `IP protocol ${p.protocol}`);
  const tcp = decodeTcpHeader(raw.data, p.payloadOffset, p.payloadLength);
  if (tcp.kind === 'skip') return skip(tcp.reason, tcp.detail);
  const start = p.payloadOffset + tcp.dataOffset;
  const end = Math.min(raw.data.length, p.payloadOffset + p.payloadLength);
  return {
    kind: 'tcp',
    segment: {
      packet: raw.index,
      at: raw.at,
      ipVersion: p.version,
      src: p.src,
      dst: p.dst,
      ...tcp.header,
      payload: raw.data.subarray(start, Math.max(start, end)),
      payloadLength: p.payloadLength - tcp.dataOffset,
    },
  };
};
