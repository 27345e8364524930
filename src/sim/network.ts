import type { Actor } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';
import type { KernelAbort } from '../transport/linux/socket-types.js';

/**
 * The seam between the world and a network model. The world hands frames and socket signals to
 * the network; the network owns its own clock-ordered events (arrivals, ACKs, retransmission
 * timers) and reports what reaches each socket.
 */
export type Delivery =
  /** A whole frame is in the receiver's socket buffer, ready for its reader. */
  | { readonly kind: 'frame'; readonly to: Actor; readonly frame: Frame; readonly sentAt: Nanos }
  /** The peer's FIN: the reader gets EOF once it has read what came before. */
  | { readonly kind: 'fin'; readonly to: Actor }
  /** The peer's (or a middlebox's) RST: unread data is discarded, reads fail with ECONNRESET. */
  | { readonly kind: 'rst'; readonly to: Actor; readonly from: 'peer' | 'middlebox' }
  /** The kernel gave up on the connection (ETIMEDOUT). */
  | { readonly kind: 'abort'; readonly actor: Actor; readonly why: KernelAbort };

export type { KernelAbort };

/** Something the network did that the trace should show (retransmissions, drops). */
export type NetNote = { readonly actor: Actor; readonly what: NetNoteKind; readonly text: string };

/**
 * What a network note is about, as data (the timeline's explanations key on it, never on the
 * text): a retransmission by RTO, tail loss probe or fast retransmit; a TCP keepalive probe; a
 * FIN leaving; RST for a segment with no socket, or for data after close; a closed socket's
 * kernel giving up; a kernel abort; the socket closing after the final GOAWAY's linger; in a
 * replay, a frame the model sent that the capture does not have.
 */
export const NET_NOTE_KINDS = ['rto', 'tlp', 'fast', 'probe', 'fin', 'stray', 'afterClose', 'orphanGone', 'abort', 'linger', 'modelledFrame'] as const;
export type NetNoteKind = (typeof NET_NOTE_KINDS)[number];

/** A send's report; a model may reuse one object per call, so read it before sending again. */
export type SendReport = {
  /** When the frame will be readable at the peer, if known at send time (undefined: lost or not yet known). */
  readonly arrivesAt: Nanos | undefined;
  readonly notes: readonly string[];
  /** The frame's octets on the wire, when the network was asked for them (a packet observer is attached). */
  readonly bytes?: Uint8Array | undefined;
};

export type NetworkModel = {
  sendFrame(from: Actor, frame: Frame, now: Nanos): SendReport;
  /**
   * Several frames in one write(2), as grpc-go's loopy writer flushes what it batched; one report
   * per frame when `report` (with `report` false the caller reads none, and the model may skip
   * making them). The model must not keep `frames`. Optional: without it each frame is its own write.
   */
  sendFrames?(from: Actor, frames: readonly Frame[], now: Nanos, report: boolean): SendReport[] | undefined;
  /** The socket of `from` closes, sending FIN or RST. */
  closeSocket(from: Actor, signal: 'FIN' | 'RST', now: Nanos): SendReport;
  /**
   * `actor`'s reader has taken the next frame delivered to it out of the socket (read(2)): a
   * kernel may then send an ACK it was holding back. Optional.
   */
  frameRead?(actor: Actor, now: Nanos): void;
  /** `actor`'s machine vanished: it sends nothing more and nothing reaches it. */
  crash(actor: Actor, now: Nanos): void;
  /**
   * Earliest internal event, if any: a packet arrival, or a kernel timer (retransmission,
   * TCP keepalive). At one instant arrivals go before everything else, kernel timers after the
   * processes' own timers: the kernel's deadlines derive from writes that happen just after the
   * Go timers that caused them (a PING written when kpTimer fired), so they are the later ones.
   */
  nextEvent(): { readonly at: Nanos; readonly kind: 'arrival' | 'kernelTimer' } | undefined;
  /**
   * Process the earliest internal event (due at `now`); returns what reached sockets. The array may
   * be reused by the next call: consume it before stepping again.
   */
  step(now: Nanos, notes: NetNote[]): readonly Delivery[];
  /**
   * Whether anyone reads notes (a traced run). A model may then skip building note text, in
   * `step`'s notes and in `SendReport.notes`; it must not change anything else. Optional.
   */
  setTracing?(on: boolean): void;
  /** Counters for the outcome (retransmissions per side, segments lost, ...). */
  stats(): Readonly<Record<Actor, Readonly<Record<string, number>>>>;
};
