/**
 * Groups TCP segments into connections by their address/port pair and reassembles both
 * directions. A connection is opened by its first segment: a SYN names its sender the initiator;
 * a SYN-ACK (the SYN was not captured) names its receiver; any other segment means the capture
 * started mid-stream, and its sender is taken as the initiator. A new SYN on a pair whose
 * connection already saw a FIN or RST, or a SYN with a different initial sequence number, starts
 * a new connection (port reuse).
 */
import type { Nanos } from '../time/units.js';
import { createStreamReassembler, type DirectionStream, type StreamReassembler } from './stream-reassembler.js';
import type { TcpSegment } from './tcp-segment.js';

export type Endpoint = { readonly address: string; readonly port: number };

export type ConnectionOpening =
  /** The initiator's SYN was captured. */
  | 'syn'
  /** Only the SYN-ACK was captured. */
  | 'syn-ack'
  /** Neither: the capture started after the handshake. */
  | 'mid-stream';

export type TcpConnection = {
  /** 0-based, in order of each connection's first packet. */
  readonly id: number;
  readonly ipVersion: 4 | 6;
  readonly initiator: Endpoint;
  readonly responder: Endpoint;
  readonly opening: ConnectionOpening;
  /** Times of the first and last packet of the connection. */
  readonly firstAt: Nanos;
  readonly lastAt: Nanos;
  readonly packets: number;
  /** Initiator -> responder. */
  readonly fromInitiator: DirectionStream;
  /** Responder -> initiator. */
  readonly fromResponder: DirectionStream;
  /** Every segment of the connection, in capture order (for a TCP model to replay). */
  readonly segments: readonly TcpSegment[];
};

type Open = {
  id: number;
  ipVersion: 4 | 6;
  initiator: Endpoint;
  responder: Endpoint;
  opening: ConnectionOpening;
  firstAt: Nanos;
  lastAt: Nanos;
  packets: number;
  forward: StreamReassembler;
  backward: StreamReassembler;
  initiatorIsn?: number;
  closing: boolean;
  segments: TcpSegment[];
};

const endpointKey = (address: string, port: number): string => `${address}|${port}`;
const pairKey = (s: TcpSegment): string => {
  const a = endpointKey(s.src, s.srcPort);
  const b = endpointKey(s.dst, s.dstPort);
  return a < b ? `${a}#${b}` : `${b}#${a}`;
};

/** Segments in capture order -> connections in order of first packet. */
export const reassembleConnections = (segments: readonly TcpSegment[]): TcpConnection[] => {
  const all: Open[] = [];
  const byPair = new Map<string, Open>();
  for (const s of segments) {
    const key = pairKey(s);
    let c = byPair.get(key);
    const bareSyn = s.flags.syn && !s.flags.ack;
    if (c !== undefined && bareSyn && (c.closing || (c.initiatorIsn !== undefined && c.initiatorIsn !== s.seq))) c = undefined;
    if (c === undefined) {
      const src = { address: s.src, port: s.srcPort };
      const dst = { address: s.dst, port: s.dstPort };
      const synAck = s.flags.syn && s.flags.ack;
      c = {
        id: all.length,
        ipVersion: s.ipVersion,
        initiator: synAck ? dst : src,
        responder: synAck ? src : dst,
        opening: bareSyn ? 'syn' : synAck ? 'syn-ack' : 'mid-stream',
        firstAt: s.at,
        lastAt: s.at,
        packets: 0,
        forward: createStreamReassembler(),
        backward: createStreamReassembler(),
        ...(bareSyn ? { initiatorIsn: s.seq } : {}),
        closing: false,
        segments: [],
      };
      all.push(c);
      byPair.set(key, c);
    }
    c.packets++;
    c.segments.push(s);
    c.lastAt = Math.max(c.lastAt, s.at);
    if (s.flags.fin || s.flags.rst) c.closing = true;
    const fromInitiator = s.src === c.initiator.address && s.srcPort === c.initiator.port;
    const own = fromInitiator ? c.forward : c.backward;
    const peer = fromInitiator ? c.backward : c.forward;
    own.push(s);
    if (s.flags.ack && !s.flags.rst) peer.noteAck(s.ack, s.at, s.packet);
  }
  return all.map((c) => ({
    id: c.id,
    ipVersion: c.ipVersion,
    initiator: c.initiator,
    responder: c.responder,
    opening: c.opening,
    firstAt: c.firstAt,
    lastAt: c.lastAt,
    packets: c.packets,
    fromInitiator: c.forward.finish(),
    fromResponder: c.backward.finish(),
    segments: c.segments,
  }));
};
