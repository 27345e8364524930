/**
 * IPv4 (RFC 791, options skipped by IHL) and IPv6 (RFC 8200, extension headers skipped) down to
 * the transport payload. SIMPLIFICATION: fragments are reported, not reassembled, and IPv6
 * jumbograms (payload length 0) are skipped.
 */
import { formatIpv4, formatIpv6 } from './ip-address.js';

export type IpPacket = {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** Upper-layer protocol (6 = TCP) after any IPv6 extension headers. */
  readonly protocol: number;
  /** Offset of the transport header in the frame. */
  readonly payloadOffset: number;
  /** Transport length on the wire, from the IP length fields (not the captured length: Ethernet pads short frames). */
  readonly payloadLength: number;
};

export type IpResult =
  | { readonly kind: 'ip'; readonly packet: IpPacket }
  | { readonly kind: 'skip'; readonly reason: 'ip-fragment' | 'malformed' | 'truncated' | 'not-tcp'; readonly detail: string };

const IPV6_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]); // hop-by-hop, routing, dest opts, mobility, HIP, shim6
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;

export const decodeIpv4 = (data: Uint8Array, at: number, frameTruncated: boolean): IpResult => {
  if (data.length - at < 20) return { kind: 'skip', reason: 'truncated', detail: `IPv4 header needs 20 bytes, ${data.length - at} captured` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const first = view.getUint8(at);
  const ihl = (first & 0x0f) * 4;
  if (first >> 4 !== 4) return { kind: 'skip', reason: 'malformed', detail: `IPv4 version nibble ${first >> 4}` };
  if (ihl < 20) return { kind: 'skip', reason: 'malformed', detail: `IPv4 header length ${ihl}` };
  if (data.length - at < ihl) return { kind: 'skip', reason: 'truncated', detail: `IPv4 header with options needs ${ihl} bytes` };
  let total = view.getUint16(at + 2);
  // A sender using segmentation offload may be captured before the NIC fills the length in (0).
  if (total === 0) total = data.length - at;
  if (total < ihl) return { kind: 'skip', reason: 'malformed', detail: `IPv4 total length ${total} below header length ${ihl}` };
  if (total > data.length - at && !frameTruncated) {
    return { kind: 'skip', reason: 'malformed', detail: `IPv4 total length ${total}, frame holds ${data.length - at}` };
  }
  const fragment = view.getUint16(at + 6);
  const moreFragments = (fragment & 0x2000) !== 0;
  const fragmentOffset = (fragment & 0x1fff) * 8;
  const src = formatIpv4(data, at + 12);
  const dst = formatIpv4(data, at + 16);
  if (moreFragments || fragmentOffset !== 0) {
    return { kind: 'skip', reason: 'ip-fragment', detail: `IPv4 fragment ${src} -> ${dst} id ${view.getUint16(at + 4)} offset ${fragmentOffset}${moreFragments ? ' (more)' : ''}` };
  }
  return { kind: 'ip', packet: { version: 4, src, dst, protocol: view.getUint8(at + 9), payloadOffset: at + ihl, payloadLength: total - ihl } };
};

export const decodeIpv6 = (data: Uint8Array, at: number, frameTruncated: boolean): IpResult => {
  if (data.length - at < 40) return { kind: 'skip', reason: 'truncated', detail: `IPv6 header needs 40 bytes, ${data.length - at} captured` };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint8(at) >> 4 !== 6) return { kind: 'skip', reason: 'malformed', detail: `IPv6 version nibble ${view.getUint8(at) >> 4}` };
  const payloadLength = view.getUint16(at + 4);
  if (payloadLength === 0) return { kind: 'skip', reason: 'malformed', detail: 'IPv6 payload length 0 (jumbogram or offload) not supported' };
  if (payloadLength > data.length - at - 40 && !frameTruncated) {
    return { kind: 'skip', reason: 'malformed', detail: `IPv6 payload length ${payloadLength}, frame holds ${data.length - at - 40}` };
  }
  const src = formatIpv6(data, at + 8);
  const dst = formatIpv6(data, at + 24);
  const end = at + 40 + payloadLength;
  let next = view.getUint8(at + 6);
  let cursor = at + 40;
  // Each extension header is at least 8 bytes, so this loop ends within payloadLength / 8 steps.
  while (IPV6_EXTENSIONS.has(next) || next === IPV6_FRAGMENT || next === IPV6_AH) {
    if (cursor + 8 > end) return { kind: 'skip', reason: 'malformed', detail: `IPv6 extension header ${next} past the payload` };
    if (cursor + 8 > data.length) return { kind: 'skip', reason: 'truncated', detail: `IPv6 extension header ${next} not captured` };
    const headerNext = view.getUint8(cursor);
    if (next === IPV6_FRAGMENT) {
      const field = view.getUint16(cursor + 2);
      if ((field & 0xfff8) !== 0 || (field & 1) !== 0) {
        return { kind: 'skip', reason: 'ip-fragment', detail: `IPv6 fragment ${src} -> ${dst} id ${view.getUint32(cursor + 4)} offset ${field & 0xfff8}` };
      }
      cursor += 8; // an atomic fragment: the whole packet is here
    } else {
      cursor += next === IPV6_AH ? (view.getUint8(cursor + 1) + 2) * 4 : (view.getUint8(cursor + 1) + 1) * 8;
    }
    next = headerNext;
  }
  if (cursor > end) return { kind: 'skip', reason: 'malformed', detail: 'IPv6 extension headers longer than the payload' };
  return { kind: 'ip', packet: { version: 6, src, dst, protocol: next, payloadOffset: cursor, payloadLength: end - cursor } };
};
