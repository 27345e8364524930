/**
 * A TCP segment as it crosses the path: sequence numbers relative to the sender's first data
 * byte (no SYN, no ISN), a FIN taking one sequence number after the last data byte, the ACK
 * field, SACK blocks, and the timestamp option (on: Linux's default). Window fields are not
 * modelled (see docs/transport.md, "Simplifications").
 */
export type Segment = {
  /** First sequence number (for a keepalive probe: snd_una - 1, outside the window). */
  seq: number;
  /** Payload bytes. */
  len: number;
  fin: boolean;
  rst: boolean;
  /** The ACK flag; every segment of an established connection has it, a reset answering a segment without one does not. */
  hasAck: boolean;
  /** Cumulative acknowledgement. */
  ack: number;
  /** SACK blocks, [start, end) pairs flattened; the first is a D-SACK when it lies below `ack` or inside the second. */
  sack: number[] | undefined;
  /** TSval and TSecr (ms clock). */
  tsval: number;
  tsecr: number;
  /** What sent it, for traces and captures. */
  why: SegmentWhy;
  /** Transmission count of the data it carries (1: first transmission). */
  tx: number;
};

export type SegmentWhy =
  | 'data'
  | 'retransmit-rto'
  | 'retransmit-tlp'
  | 'retransmit-fast'
  | 'ack'
  | 'ack-delayed'
  | 'dupack'
  | 'challenge-ack'
  | 'keepalive-probe'
  | 'rst-close'
  | 'rst-keepalive'
  | 'rst-reply';

/** The sequence space a segment occupies (FIN counts one). */
export function segEnd(s: Segment): number {
  return s.seq + s.len + (s.fin ? 1 : 0);
}
