import type { Nanos } from '../../time/units.js';
import type { KernelClock } from './kernel-clock.js';
import type { LinuxTcpFeatures } from './kernel-version.js';
import type { RingQueue } from './ring-queue.js';
import type { RttEstimator } from './rtt-estimator.js';
import type { Segment } from './segment.js';

/**
 * One TCP socket of a Linux host, as the kernel keeps it (struct tcp_sock and its
 * inet_connection_sock), limited to what decides when segments leave and what the application
 * sees. Field names follow the kernel's. Sequence numbers are relative (0 = first data byte).
 */

/** sk_state. SYN states are not modelled: a socket starts ESTABLISHED. */
export type TcpState = 'ESTABLISHED' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'CLOSING' | 'TIME_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'CLOSE';

/** icsk_ca_state. */
export type CaState = 'Open' | 'Disorder' | 'CWR' | 'Recovery' | 'Loss';
export const CA_ORDER: Readonly<Record<CaState, number>> = { Open: 0, Disorder: 1, CWR: 2, Recovery: 3, Loss: 4 };

/** Which job the retransmission timer has (icsk_pending). */
export type XmitTimer = 'RETRANS' | 'LOSS_PROBE' | 'REO_TIMEOUT';

/** An sk_buff of the write or retransmission queue: a run of bytes (and maybe the FIN). */
export type Skb = {
  seq: number;
  /** end_seq: seq + len + (fin ? 1 : 0). */
  end: number;
  len: number;
  fin: boolean;
  /** skb_mstamp: when it was last (re)transmitted, virtual ns. */
  sentAt: Nanos;
  /** TCPCB_* bits of `sacked`. */
  sackedAcked: boolean;
  sackedRetrans: boolean;
  lost: boolean;
  everRetrans: boolean;
  /** TCPCB_RETRANS (retransmitted at least once). */
  retrans: boolean;
  /** How many times it went out. */
  tx: number;
};

export type KeepaliveSettings = { readonly idle: Nanos; readonly interval: Nanos; readonly count: number };

/** Host and socket settings (sysctls at Linux's defaults unless a scenario says otherwise). */
export type SocketConfig = {
  readonly features: LinuxTcpFeatures;
  readonly clock: KernelClock;
  readonly mss: number;
  /** TCP_USER_TIMEOUT in ms; 0: not set. */
  readonly userTimeoutMs: number;
  readonly keepalive: KeepaliveSettings | undefined;
  /** net.ipv4.tcp_retries2 (15). */
  readonly retries2: number;
  /** net.ipv4.tcp_orphan_retries (0: 8 while the RTO is below TCP_RTO_MAX). */
  readonly orphanRetries: number;
  /** net.ipv4.tcp_fin_timeout (60 s). */
  readonly finTimeout: Nanos;
};

/** Why the kernel gave up on a connection (ETIMEDOUT): tcp_retries2, TCP_USER_TIMEOUT, or TCP keepalive. */
export type KernelAbort = 'retransmissions' | 'user-timeout' | 'tcp-keepalive';

/** A timer's firing time when it is not armed. */
export const NOT_ARMED: Nanos = Number.POSITIVE_INFINITY;

/** What a socket hands upward: data, the peer's FIN, a reset, a kernel abort. */
export type SocketEvent =
  | { readonly kind: 'data'; readonly upTo: number }
  | { readonly kind: 'fin' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'abort'; readonly why: KernelAbort };

/** A socket's outputs from one call: segments to put on the wire now, in order, and events. */
export type SocketOut = {
  readonly segments: Segment[];
  readonly events: SocketEvent[];
  /** Trace notes (only filled when tracing). */
  notes: string[] | undefined;
};

export type TcpSocket = {
  readonly cfg: SocketConfig;
  state: TcpState;
  /** SOCK_DEAD: the application closed it (an orphan). */
  orphan: boolean;
  /** sk_shutdown RCV_SHUTDOWN (peer's FIN read, or we closed). */
  rcvShutdown: boolean;
  /** sk_err: what the next read returns. */
  err: 'ECONNRESET' | 'EPIPE' | 'ETIMEDOUT' | undefined;

  // ---- send side
  sndUna: number;
  sndNxt: number;
  writeSeq: number;
  /** Unsent skbs, in order (an application writing faster than the window drains grows it without bound). */
  readonly writeQueue: RingQueue<Skb>;
  /** Sent, unacknowledged skbs, in order of sequence number. */
  readonly rtxQueue: RingQueue<Skb>;
  packetsOut: number;
  sackedOut: number;
  lostOut: number;
  retransOut: number;
  cwnd: number;
  ssthresh: number;
  cwndCnt: number;
  priorCwnd: number;
  priorSsthresh: number;
  caState: CaState;
  highSeq: number;
  undoMarker: number;
  undoRetrans: number;
  frto: boolean;
  prrDelivered: number;
  prrOut: number;
  reordering: number;
  /** tcp_cwnd_validate's bookkeeping: the most packets out in the current window, and where it ends. */
  maxPacketsOut: number;
  cwndUsageSeq: number;
  isCwndLimited: boolean;
  /** lsndtime: jiffies of the last data sent. */
  lsndtime: number;

  readonly rtt: RttEstimator;
  /** icsk_backoff, icsk_retransmits. */
  backoff: number;
  retransmits: number;
  /** retrans_stamp: ms clock of the first retransmission of this episode; 0 none. */
  retransStamp: number;
  tlpHighSeq: number;
  tlpRetrans: boolean;
  /** RACK state. */
  rackMstamp: Nanos;
  rackEndSeq: number;
  rackRttUs: number;
  rackAdvanced: boolean;
  rackReoWndSteps: number;

  // ---- timers: virtual time each fires at (NOT_ARMED: Infinity), and the nominal expiry in jiffies.
  // (A number, never undefined, so that V8 keeps these fields unboxed doubles.)
  xmitTimer: XmitTimer | undefined;
  xmitFiresAt: Nanos;
  xmitExpires: number;
  delackFiresAt: Nanos;
  keepaliveFiresAt: Nanos;

  // ---- delayed ACK engine (icsk_ack)
  ackPending: number;
  ackQuick: number;
  ackPingpong: number;
  ackAto: number;
  ackLrcvtime: number;
  ackTimeout: number;
  rcvMss: number;
  lastSegSize: number;

  /** rcv_tstamp: jiffies of the last ACK processed. */
  rcvTstamp: number;
  probesOut: number;
  /** last_oow_ack_time: jiffies of the last out-of-window ACK or challenge ACK (rate limit). */
  lastOowAck: number;

  // ---- receive side
  rcvNxt: number;
  rcvWup: number;
  /** Bytes the application has read (copied_seq). */
  copiedSeq: number;
  /** Out-of-order ranges held, sorted, disjoint; `touched` orders them for SACK (most recent first). */
  readonly ofo: { start: number; end: number; touched: number }[];
  ofoTick: number;
  /** Sequence number of the peer's FIN once it is in order; undefined until then. */
  finSeq: number | undefined;
  /** A D-SACK block to send with the next ACK. */
  dsack: [number, number] | undefined;
  /** TS.Recent: the TSval to echo. */
  tsRecent: number;
  /** The peer's FIN arrived out of order (held until the hole fills). */
  oooFin: number | undefined;

  // ---- statistics
  readonly stats: { retransmissions: number; tlps: number; rtos: number; probes: number; rstsSent: number };
};
