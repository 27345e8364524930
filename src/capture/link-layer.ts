/**
 * Link-layer headers: where the IP packet starts in a captured frame. Ethernet (with any number
 * of 802.1Q / 802.1ad VLAN tags), BSD loopback (NULL, family in the capturing host's byte order,
 * and LOOP, family big-endian), raw IP, IPv4, IPv6, Linux cooked SLL and SLL2.
 */
import { LINK_TYPES } from './raw-packet.js';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100] as const;
const LINKTYPE_LOOP = 108;
/** AF_INET6 differs between systems: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30. */
const AF_INET6_VALUES = [10, 24, 28, 30] as const;

export type LinkResult =
  | { readonly kind: 'ip'; readonly version: 4 | 6; readonly offset: number }
  | { readonly kind: 'skip'; readonly reason: 'link-type' | 'not-ip' | 'truncated'; readonly detail: string };

const byEthertype = (type: number, offset: number): LinkResult => {
  if (type === ETHERTYPE_IPV4) return { kind: 'ip', version: 4, offset };
  if (type === ETHERTYPE_IPV6) return { kind: 'ip', version: 6, offset };
  return { kind: 'skip', reason: 'not-ip', detail: `ethertype 0x${type.toString(16).padStart(4, '0')}` };
};

const byVersionNibble = (data: Uint8Array, offset: number): LinkResult => {
  const v = (data[offset] ?? 0) >> 4;
  if (data.length <= offset) return { kind: 'skip', reason: 'truncated', detail: 'no IP header' };
  if (v === 4 || v === 6) return { kind: 'ip', version: v, offset };
  return { kind: 'skip', reason: 'not-ip', detail: `IP version nibble ${v}` };
};

const byFamily = (family: number): LinkResult => {
  if (family === 2) return { kind: 'ip', version: 4, offset: 4 };
  if ((AF_INET6_VALUES as readonly number[]).includes(family)) return { kind: 'ip', version: 6, offset: 4 };
  return { kind: 'skip', reason: 'not-ip', detail: `address family ${family}` };
};

const short = (what: string, need: number, have: number): LinkResult => ({
  kind: 'skip',
  reason: 'truncated',
  detail: `${what} header needs ${need} bytes, ${have} captured`,
});

export const locateIp = (linkType: number, data: Uint8Array): LinkResult => {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (linkType) {
    case LINK_TYPES.ETHERNET: {
      let at = 12;
      for (;;) {
        if (data.length < at + 2) return short('Ethernet', at + 2, data.length);
        const type = view.getUint16(at);
        if (!(ETHERTYPE_VLAN as readonly number[]).includes(type)) return byEthertype(type, at + 2);
        at += 4; // tag control information, then the next ethertype
      }
    }
    case LINK_TYPES.NULL: {
      if (data.length < 4) return short('loopback', 4, data.length);
      // Host byte order of the capturing machine: families are small, so a value with its high
      // half set was written big-endian.
      const v = view.getUint32(0, true);
      return byFamily(v > 0xffff ? view.getUint32(0, false) : v);
    }
    case LINKTYPE_LOOP:
      if (data.length < 4) return short('loopback', 4, data.length);
      return byFamily(view.getUint32(0, false));
    case LINK_TYPES.RAW:
      return byVersionNibble(data, 0);
    case LINK_TYPES.IPV4:
      return { kind: 'ip', version: 4, offset: 0 };
    case LINK_TYPES.IPV6:
      return { kind: 'ip', version: 6, offset: 0 };
    case LINK_TYPES.LINUX_SLL:
      if (data.length < 16) return short('Linux SLL', 16, data.length);
      return byEthertype(view.getUint16(14), 16);
    case LINK_TYPES.LINUX_SLL2:
      if (data.length < 20) return short('Linux SLL2', 20, data.length);
      return byEthertype(view.getUint16(0), 20);
    default:
      return { kind: 'skip', reason: 'link-type', detail: `link type ${linkType} not supported` };
  }
};
