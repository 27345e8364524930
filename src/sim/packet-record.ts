import type { Actor } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';

/**
 * One IP packet of the TCP model, as a capture on the wire would see it: what the `onPacket`
 * observer of the TCP network receives (for pcap export). Sequence and acknowledgement numbers are
 * relative: byte 0 of each direction is the first byte after the SYN; a writer adds ISNs and the
 * handshake.
 *
 * One record per packet, made when the packet leaves its sender, carrying its fate: when it
 * reaches the far end (`arriveAt`), or that it never does (`lost`, with why).
 * SIMPLIFICATION: when a host crashes, the model drops what it still had in flight, but those
 * packets' records, made earlier, keep their `arriveAt`; a packet sent to a crashed host is
 * recorded as arriving (at a host that no longer answers).
 */
export type PacketRecord = {
  readonly kind: PacketKind;
  /** The sending host (for a middlebox's RST: the host it pretends to be). */
  readonly from: Actor;
  /**
   * First sequence number: the segment's first byte for `data` and `fin`; the sender's next
   * sequence number for `ack` and `rst`; one below its oldest unacknowledged byte
   * for a `keepalive` probe (Linux probes with snd_una - 1 and no payload).
   */
  readonly seq: number;
  /** Sequence space the packet carries: payload bytes for `data`, 1 for `fin` (no payload), else 0. */
  readonly len: number;
  /** The cumulative ACK the sender carries: everything it has received in order from the other side. */
  readonly ack: number;
  /** When the packet leaves the sender (after queueing and serialization for data). */
  readonly departAt: Nanos;
  /** When the packet reaches the far end; absent when lost. */
  readonly arriveAt?: Nanos;
  /** The packet never arrives. */
  readonly lost?: true;
  readonly why?: PacketLoss;
  /** A scripted hold (`delayFrame`) kept it past its natural arrival. */
  readonly held?: true;
  /** `data` and `fin`: transmission number, 1 for the first, 2+ for retransmissions. */
  readonly tx?: number;
  /** A retransmission's trigger: the tail loss probe, the RTO, or loss detection from SACKs (RACK). */
  readonly retransmit?: 'tlp' | 'rto' | 'fast';
  /** `rst`: sent by the peer's kernel, or by a middlebox (a NAT that forgot the flow). */
  readonly rstBy?: 'peer' | 'middlebox';
  /** `data`: the segment also carries the FIN (a retransmission that collapsed it in). */
  readonly fin?: true;
  /** `data`: the frames whose bytes the segment carries, with each frame's byte range in the stream. */
  readonly frames?: readonly PayloadSlice[];
};

export type PacketKind = 'data' | 'fin' | 'ack' | 'keepalive' | 'rst';

/** Why a packet was lost: random loss, a scripted `loseFrame`, a blackhole/partition/flap, a NAT. */
export type PacketLoss = 'loss' | 'scripted' | 'blackhole' | 'nat';

/** A frame in a direction's byte stream: bytes [start, end). */
export type PayloadSlice = {
  readonly frame: Frame;
  readonly start: number;
  readonly end: number;
  /** The frame's octets on the wire (RFC 9113; the client's first SETTINGS includes the preface). */
  readonly bytes?: Uint8Array;
};

export type PacketObserver = (p: PacketRecord) => void;
