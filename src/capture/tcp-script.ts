/**
 * Turns a packet list in relative sequence numbers (as a simulator produces: offset 0 is the first
 * byte after the handshake in each direction) into absolute 32-bit numbers from two initial
 * sequence numbers, with a three-way handshake prepended.
 */
import type { Nanos } from '../time/units.js';
import type { Side } from './side.js';
import type { PcapTcpPacket } from './pcap-writer.js';

export type RelativeSegment = {
  readonly at: Nanos;
  readonly from: Side;
  /** Sender's stream offset of the first payload byte (of the FIN when there is no payload). */
  readonly seq: number;
  /** Peer stream offset acknowledged (the FIN counts one). Omitted: the ACK flag is off. */
  readonly ack?: number;
  readonly fin?: boolean;
  readonly rst?: boolean;
  readonly psh?: boolean;
  /** @default empty */
  readonly payload?: Uint8Array;
  readonly window?: number;
};

export type HandshakeOptions = {
  /** @default 0x2d5f0a31 */
  readonly clientIsn?: number;
  /** @default 0x9e3a77c1 */
  readonly serverIsn?: number;
  /** Time of the SYN; the SYN-ACK and ACK follow at `step` intervals. @default first segment's time - 3 * step (0 when there are none) */
  readonly synAt?: Nanos;
  /** @default 100 µs */
  readonly step?: Nanos;
  /** @default 65535 */
  readonly window?: number;
};

export const DEFAULT_CLIENT_ISN = 0x2d5f_0a31;
export const DEFAULT_SERVER_ISN = 0x9e3a_77c1;
const EMPTY = new Uint8Array(0);

/** Handshake (SYN, SYN-ACK, ACK) followed by `segments` with absolute sequence numbers. */
export const withHandshake = (segments: readonly RelativeSegment[], opts: HandshakeOptions = {}): PcapTcpPacket[] => {
  const isn: Record<Side, number> = { client: opts.clientIsn ?? DEFAULT_CLIENT_ISN, server: opts.serverIsn ?? DEFAULT_SERVER_ISN };
  const step = opts.step ?? 100_000;
  const synAt = opts.synAt ?? (segments[0] === undefined ? 0 : segments[0].at - 3 * step);
  const window = opts.window === undefined ? {} : { window: opts.window };
  const none = { syn: false, ack: false, fin: false, rst: false, psh: false };
  /** Stream offset `n` of `side` -> absolute sequence number (offset 0 is ISN + 1). */
  const abs = (side: Side, n: number): number => (isn[side] + 1 + n) >>> 0;
  const handshake: PcapTcpPacket[] = [
    { at: synAt, from: 'client', flags: { ...none, syn: true }, seq: isn.client, ack: 0, payload: EMPTY, ...window },
    { at: synAt + step, from: 'server', flags: { ...none, syn: true, ack: true }, seq: isn.server, ack: abs('client', 0), payload: EMPTY, ...window },
    { at: synAt + 2 * step, from: 'client', flags: { ...none, ack: true }, seq: abs('client', 0), ack: abs('server', 0), payload: EMPTY, ...window },
  ];
  const peer = (s: Side): Side => (s === 'client' ? 'server' : 'client');
  return [
    ...handshake,
    ...segments.map((s): PcapTcpPacket => ({
      at: s.at,
      from: s.from,
      flags: { syn: false, ack: s.ack !== undefined, fin: s.fin === true, rst: s.rst === true, psh: s.psh === true },
      seq: abs(s.from, s.seq),
      ack: s.ack === undefined ? 0 : abs(peer(s.from), s.ack),
      payload: s.payload ?? EMPTY,
      ...(s.window === undefined ? window : { window: s.window }),
    })),
  ];
};
