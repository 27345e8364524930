import type { Actor } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import { formatDuration } from '../time/duration.js';
import { EventQueue } from '../time/event-queue.js';
import type { Rng } from '../time/rng.js';
import type { Nanos } from '../time/units.js';
import { createDelaySampler, type DelayModel } from '../transport/impairments/delay.js';
import { createLossProcess, type LossModel } from '../transport/impairments/loss.js';
import { serializationTime } from '../transport/impairments/rate.js';
import { jiffiesToMsecs } from '../transport/linux/kernel-clock.js';
import { resetFor } from '../transport/linux/receive-path.js';
import { partitionPoint } from '../lib/partition-point.js';
import { RingQueue } from '../transport/linux/ring-queue.js';
import { segEnd, type Segment } from '../transport/linux/segment.js';
import type { KeepaliveSettings, SocketEvent, SocketOut, TcpSocket } from '../transport/linux/socket-types.js';
import { createSocket, socketClose, socketFireTimer, socketInput, socketNextTimer, socketRead, socketWrite } from '../transport/linux/tcp-socket.js';
import type { Outage } from '../transport/scripted-link.js';
import { clearArray } from './clear-array.js';
import type { FrameWire } from './frame-wire.js';
import { hostSocketConfig, type HostKernel } from './host-socket.js';
import type { Delivery, KernelAbort, NetNote, NetworkModel, SendReport } from './network.js';
import type { PacketKind, PacketObserver, PayloadSlice } from './packet-record.js';
import { createPathDirection, markFrame, traverse, type FrameMatch, type NatState, type PathDirectionState } from './path-rules.js';

export type { FrameMatch } from './path-rules.js';

export type TcpLinkConfig = {
  readonly delay: DelayModel;
  readonly loss: LossModel;
  readonly bitsPerSecond: number | undefined;
  readonly holds: readonly (FrameMatch & { readonly by: Nanos })[];
  readonly drops: readonly (FrameMatch & { readonly times: number })[];
  readonly blackholes: readonly Outage[];
};

export type { HostKernel } from './host-socket.js';

export type TcpNetworkConfig = {
  /** Keyed by the sending side: `client` is the client-to-server direction. */
  readonly links: Readonly<Record<Actor, TcpLinkConfig>>;
  /** Each side's TCP_USER_TIMEOUT (set by grpc-go on its socket). */
  readonly userTimeout: Readonly<Record<Actor, Nanos | undefined>>;
  /** Each side's SO_KEEPALIVE settings; `undefined`: off. */
  readonly keepalive: Readonly<Record<Actor, KeepaliveSettings | undefined>>;
  readonly kernel: Readonly<Record<Actor, HostKernel>>;
  /** A NAT or load balancer on the path that forgets idle flows. */
  readonly nat: { readonly idleTimeout: Nanos; readonly action: 'drop' | 'reset' } | undefined;
  readonly mss: number;
  readonly retries2: number;
  /** Called for every packet the model puts on the wire (for pcap export); costs nothing when absent. */
  readonly onPacket?: PacketObserver | undefined;
  /** Each side's frame encoder: the octets a frame takes on the wire. */
  readonly wire: Readonly<Record<Actor, FrameWire>>;
};

/** IPv4 + TCP headers with the timestamp option, counted for serialization. */
export const HEADER_BYTES = 52;

/** A frame in a direction's byte stream, until the receiving application has it. */
type StreamItem = { readonly end: number; readonly frame: Frame; readonly writtenAt: Nanos };

type Host = {
  readonly actor: Actor;
  peer: Host;
  readonly sock: TcpSocket;
  readonly path: PathDirectionState;
  readonly bitsPerSecond: number | undefined;
  linkFreeAt: Nanos;
  /** Frames this host wrote, not yet handed to the peer's application (in stream order). */
  readonly stream: RingQueue<StreamItem>;
  /** Ends of frames handed to this host's application and not yet read by it. */
  readonly unread: RingQueue<number>;
  crashed: boolean;
  /** With an observer: the frames written and not yet acknowledged, for the data records (in stream order). */
  readonly written: RingQueue<PayloadSlice>;
  /** FINs and RSTs this host put on the wire (first transmissions of its FIN; every RST). */
  finSent: number;
  rstSent: number;
  /** The socket's earliest timer, cached: recomputed after any socket call marks it stale. */
  timerAt: Nanos;
  timerStale: boolean;
};

/** When `h`'s kernel next has a timer to run (Infinity: none, or the host is gone). */
function hostTimerAt(h: Host): Nanos {
  if (h.crashed) return Number.POSITIVE_INFINITY;
  if (h.timerStale) {
    h.timerStale = false;
    h.timerAt = socketNextTimer(h.sock);
  }
  return h.timerAt;
}

type InFlight = { seg: Segment; to: Host; rstBy: 'peer' | 'middlebox' };

const RANK_ARRIVAL = 0;
const NO_NOTES: readonly string[] = Object.freeze([]);

/**
 * The TCP network: a Linux TCP socket on each host (src/transport/linux) and, between them, one
 * path direction each way with its rules (path-rules.ts). The world writes frames, reads them,
 * closes sockets; the sockets decide what leaves when (congestion window, retransmission timer,
 * loss probe, delayed ACKs, keepalive); the path decides what arrives when.
 */
export function createTcpNetwork(cfg: TcpNetworkConfig, rng: Rng): NetworkModel {
  const nat: NatState | undefined = cfg.nat === undefined ? undefined : { ...cfg.nat, lastSeen: 0, forgotten: false };
  const makeHost = (a: Actor, label: number): Host => {
    const link = cfg.links[a];
    return {
      actor: a,
      peer: undefined as unknown as Host,
      sock: createSocket(hostSocketConfig(cfg.kernel[a], { mss: cfg.mss, userTimeout: cfg.userTimeout[a], keepalive: cfg.keepalive[a], retries2: cfg.retries2 })),
      path: createPathDirection({ holds: link.holds, drops: link.drops, blackholes: link.blackholes }, createLossProcess(link.loss, rng.fork(label)), createDelaySampler(link.delay, rng.fork(label + 1)), link.delay.base),
      bitsPerSecond: link.bitsPerSecond,
      linkFreeAt: 0,
      stream: new RingQueue(),
      unread: new RingQueue(),
      crashed: false,
      written: new RingQueue(),
      finSent: 0,
      rstSent: 0,
      timerAt: Number.POSITIVE_INFINITY,
      timerStale: true,
    };
  };
  const client = makeHost('client', 10);
  const server = makeHost('server', 20);
  client.peer = server;
  server.peer = client;
  const queue = new EventQueue<InFlight>();
  /** Spent in-flight records, reused (one per packet otherwise: the idle cycle's main allocation). */
  const spent: InFlight[] = [];
  const inFlight = (seg: Segment, to: Host, rstBy: 'peer' | 'middlebox'): InFlight => {
    const r = spent.pop();
    if (r === undefined) return { seg, to, rstBy };
    r.seg = seg;
    r.to = to;
    r.rstBy = rstBy;
    return r;
  };
  const observe = cfg.onPacket;
  let tracing = true;
  const out: SocketOut = { segments: [], events: [], notes: undefined };
  const deliveries: Delivery[] = [];
  const pathNotes: string[] = [];
  const nextBuf: { at: Nanos; kind: 'arrival' | 'kernelTimer' } = { at: 0, kind: 'arrival' };
  /** Arrival of the last segment transmitted, for a send's report. */
  let lastArrival: Nanos | undefined;

  /** Puts one segment on `from`'s outgoing path. */
  const transmit = (from: Host, seg: Segment, now: Nanos, notes: NetNote[] | undefined): Nanos | undefined => {
    if (from.crashed) return undefined;
    if (seg.rst) from.rstSent++;
    else if (seg.fin && seg.tx <= 1) from.finSent++;
    let departAt = now > from.linkFreeAt ? now : from.linkFreeAt;
    if (from.bitsPerSecond !== undefined) {
      const bytes = seg.len + HEADER_BYTES + (seg.sack === undefined ? 0 : 4 * Math.ceil((2 + 4 * seg.sack.length) / 4));
      departAt += serializationTime(bytes, from.bitsPerSecond);
    }
    from.linkFreeAt = departAt;
    if (tracing) clearArray(pathNotes);
    const v = traverse(from.path, nat, departAt, seg.seq, seg.seq + seg.len, tracing ? pathNotes : undefined);
    let arrives: Nanos | undefined;
    if (v.kind === 'deliver') {
      arrives = v.at;
      if (!from.peer.crashed) queue.push(arrives, RANK_ARRIVAL, inFlight(seg, from.peer, 'peer'));
    } else if (v.resetBack) {
      // The NAT answers for the forgotten flow with an RST to the sender, as if from its peer.
      const rst: Segment = { seq: from.sock.rcvNxt, len: 0, fin: false, rst: true, hasAck: false, ack: 0, sack: undefined, tsval: 0, tsecr: 0, why: 'rst-reply', tx: 0 };
      const back = departAt + from.peer.path.delayBase;
      queue.push(back, RANK_ARRIVAL, inFlight(rst, from, 'middlebox'));
      if (observe !== undefined) observe({ kind: 'rst', from: from.peer.actor, seq: rst.seq, len: 0, ack: 0, departAt, arriveAt: back, rstBy: 'middlebox' });
    }
    if (observe !== undefined) observePacket(from, seg, departAt, arrives, v.kind === 'drop' ? v.why : undefined, v.kind === 'deliver' && v.held);
    if (notes !== undefined) noteSegment(from, seg, now, arrives, notes);
    lastArrival = arrives;
    return arrives;
  };

  /** Carries out a socket call's output: its segments onto the path, its events to the world. */
  const flush = (h: Host, now: Nanos, notes: NetNote[] | undefined): void => {
    h.timerStale = true;
    for (let i = 0; i < out.segments.length; i++) transmit(h, out.segments[i] as Segment, now, notes);
    clearArray(out.segments);
    for (let i = 0; i < out.events.length; i++) socketEvent(h, out.events[i] as SocketEvent, notes);
    clearArray(out.events);
  };

  const socketEvent = (h: Host, e: SocketEvent, notes: NetNote[] | undefined): void => {
    switch (e.kind) {
      case 'data': {
        // Whole frames of the peer's stream are now in this host's receive queue.
        const src = h.peer.stream;
        while (src.length > 0 && (src.first() as StreamItem).end <= e.upTo) {
          const it = src.shift() as StreamItem;
          h.unread.push(it.end);
          deliveries.push({ kind: 'frame', to: h.actor, frame: it.frame, sentAt: it.writtenAt });
        }
        return;
      }
      case 'fin':
        deliveries.push({ kind: 'fin', to: h.actor });
        return;
      case 'reset':
        deliveries.push({ kind: 'rst', to: h.actor, from: pendingRstBy });
        return;
      case 'abort': {
        if (h.sock.orphan) {
          // The application closed the socket already: its kernel now gives up on what it still held.
          notes?.push({ actor: h.actor, what: 'orphanGone', text: `the closed socket's kernel gives up on its unacknowledged data (${e.why === 'user-timeout' ? 'TCP_USER_TIMEOUT' : 'orphan retries'}): the connection is gone, anything more for it draws RST` });
          return;
        }
        notes?.push({ actor: h.actor, what: 'abort', text: abortText(h, e.why) });
        deliveries.push({ kind: 'abort', actor: h.actor, why: e.why as KernelAbort });
        return;
      }
    }
  };
  let pendingRstBy: 'peer' | 'middlebox' = 'peer';

  function abortText(h: Host, why: KernelAbort): string {
    const s = h.sock;
    switch (why) {
      case 'user-timeout':
        return `kernel aborts the connection: TCP_USER_TIMEOUT ${formatDuration(s.cfg.userTimeoutMs * 1e6)} since the first RTO retransmission (ETIMEDOUT)`;
      case 'retransmissions':
        return `kernel aborts the connection: tcp_retries2 (${s.cfg.retries2}) worth of retransmissions (ETIMEDOUT)`;
      case 'tcp-keepalive':
        return `TCP keepalive: ${s.probesOut} probe${s.probesOut === 1 ? '' : 's'} unanswered, kernel aborts the connection (ETIMEDOUT) and sends RST`;
    }
  }

  function noteSegment(from: Host, seg: Segment, now: Nanos, arrives: Nanos | undefined, notes: NetNote[]): void {
    const fate = arrives === undefined ? `: ${pathNotes.join(', ') || 'lost'}` : `, arrives ${formatInstant(arrives)}`;
    const range = `bytes ${seg.seq}..${seg.seq + seg.len}${seg.fin ? '+FIN' : ''}`;
    const s = from.sock;
    switch (seg.why) {
      case 'retransmit-rto':
        notes.push({ actor: from.actor, what: 'rto', text: `RTO expired (backoff ${s.backoff}, next RTO ${formatDuration(jiffiesToMsecs(s.cfg.clock, s.rtt.rto) * 1e6)}): retransmit ${range} (try ${seg.tx})${fate}` });
        return;
      case 'retransmit-tlp':
        notes.push({ actor: from.actor, what: 'tlp', text: `tail loss probe: ${range} sent again (try ${seg.tx})${fate}` });
        return;
      case 'retransmit-fast':
        notes.push({ actor: from.actor, what: 'fast', text: `fast retransmit (SACK/RACK) of ${range} (try ${seg.tx})${fate}` });
        return;
      case 'keepalive-probe':
        // probesOut already counts this probe. The first of an idle spell is routine.
        if (s.probesOut > 1 || arrives === undefined) notes.push({ actor: from.actor, what: 'probe', text: `TCP keepalive probe ${s.probesOut}${s.probesOut > 1 ? ` (${s.probesOut - 1} unanswered)` : ''}${arrives === undefined ? fate : ''}` });
        return;
      case 'rst-reply':
        notes.push({ actor: from.actor, what: 'stray', text: `segment for a closed socket answered with RST${fate}` });
        return;
      default:
        if (seg.fin && seg.len === 0 && seg.tx === 1 && now > 0) notes.push({ actor: from.actor, what: 'fin', text: `FIN sent${fate}` });
        return;
    }
  }

  function observePacket(from: Host, seg: Segment, departAt: Nanos, arrives: Nanos | undefined, lostWhy: string | undefined, held: boolean): void {
    const kind: PacketKind = seg.rst ? 'rst' : seg.why === 'keepalive-probe' ? 'keepalive' : seg.len > 0 ? 'data' : seg.fin ? 'fin' : 'ack';
    const end = seg.seq + seg.len;
    const written = from.written;
    while (written.length > 0 && (written.first() as PayloadSlice).end <= from.sock.sndUna) written.shift();
    let frames: PayloadSlice[] | undefined;
    if (kind === 'data') {
      // The slices are contiguous and in order: those the segment overlaps are a run, found by bisection.
      frames = [];
      for (let i = partitionPoint(written.length, (j) => (written.at(j) as PayloadSlice).end <= seg.seq); i < written.length; i++) {
        const w = written.at(i) as PayloadSlice;
        if (w.start >= end) break;
        frames.push(w);
      }
    }
    (observe as PacketObserver)({
      kind,
      from: from.actor,
      seq: seg.seq,
      len: kind === 'fin' ? 1 : seg.len,
      ack: seg.hasAck ? seg.ack : 0,
      departAt,
      ...(arrives === undefined ? { lost: true as const, why: lostWhy as 'loss' } : { arriveAt: arrives }),
      ...(arrives !== undefined && held ? { held: true as const } : {}),
      ...(kind === 'data' || kind === 'fin' ? { tx: Math.max(1, seg.tx) } : {}),
      ...(seg.why === 'retransmit-tlp' ? { retransmit: 'tlp' as const } : seg.why === 'retransmit-rto' ? { retransmit: 'rto' as const } : seg.why === 'retransmit-fast' ? { retransmit: 'fast' as const } : {}),
      ...(kind === 'rst' ? { rstBy: 'peer' as const } : {}),
      ...(frames === undefined ? {} : { frames }),
      ...(kind === 'data' && seg.fin ? { fin: true as const } : {}),
    });
  }

  const hostOf = (a: Actor): Host => (a === 'server' ? server : client);

  /**
   * One write(2) of several frames (grpc-go's loopy writer flushes what it has batched in one
   * write): one report per frame, saying when it will be readable at the peer if that is known
   * now (its last byte left in a segment the path delivers).
   */
  /**
   * One write(2) of `frames` (their encoded lengths `lens`). Without `report` (nothing traced, no
   * observer) only the socket and the path rules are told: the fast path of untraced runs.
   */
  const write = (h: Host, frames: readonly Frame[], lens: readonly number[], now: Nanos, bytes: readonly (Uint8Array | undefined)[] | undefined): SendReport[] | undefined => {
    const s = h.sock;
    const start = s.writeSeq;
    let total = 0;
    for (let i = 0; i < lens.length; i++) total += lens[i] as number;
    h.timerStale = true;
    const r = socketWrite(s, total, now, out);
    if (bytes === undefined) {
      if (r !== 'ok') {
        clearArray(out.segments);
        return undefined;
      }
      const marks = h.path.cfg.holds.length > 0 || h.path.cfg.drops.length > 0;
      let at = start;
      for (let i = 0; i < frames.length; i++) {
        const f = frames[i] as Frame;
        const len = lens[i] as number;
        h.stream.push({ end: at + len, frame: f, writtenAt: now });
        if (marks) markFrame(h.path, f, at, len, now);
        at += len;
      }
      flush(h, now, undefined);
      return undefined;
    }
    if (r !== 'ok') {
      clearArray(out.segments);
      return frames.map(() => ({ arrivesAt: undefined, notes: [`write failed: ${r}`] }));
    }
    const ends: number[] = [];
    let at = start;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as Frame;
      const len = lens[i] as number;
      h.stream.push({ end: at + len, frame: f, writtenAt: now });
      if (h.path.cfg.holds.length > 0 || h.path.cfg.drops.length > 0) markFrame(h.path, f, at, len, now);
      if (observe !== undefined) {
        const b = bytes[i];
        h.written.push({ frame: f, start: at, end: at + len, ...(b === undefined ? {} : { bytes: b }) });
      }
      at += len;
      ends.push(at);
    }
    const queuedBehind = h.linkFreeAt - now;
    const netNotes: NetNote[] | undefined = tracing ? [] : undefined;
    const arrivals: (Nanos | undefined)[] = frames.map(() => undefined);
    const carried: boolean[] = frames.map(() => false);
    const fates: string[][] = frames.map(() => []);
    for (let i = 0; i < out.segments.length; i++) {
      const seg = out.segments[i] as Segment;
      const a = transmit(h, seg, now, netNotes);
      if (seg.len === 0) continue;
      // `ends` increases: the frames whose last byte the segment carries are a run, found by bisection.
      for (let k = partitionPoint(ends.length, (j) => (ends[j] as number) <= seg.seq); k < ends.length; k++) {
        const e = ends[k] as number;
        if (e > seg.seq + seg.len) break;
        carried[k] = true;
        arrivals[k] = a;
        if (a === undefined && tracing) fates[k] = pathNotes.slice();
      }
    }
    clearArray(out.segments);
    for (let i = 0; i < out.events.length; i++) socketEvent(h, out.events[i] as SocketEvent, undefined);
    clearArray(out.events);
    const repaired = h.peer.sock.rcvNxt < start && (s.lostOut > 0 || s.retransOut > 0);
    return frames.map((_, k) => {
      if (!tracing) return { arrivesAt: carried[k] && !repaired ? arrivals[k] : undefined, notes: NO_NOTES, bytes: bytes[k] };
      const notes: string[] = [];
      if (queuedBehind > 10e6 && h.bitsPerSecond !== undefined) {
        notes.push(`queued behind ${Math.round((queuedBehind * h.bitsPerSecond) / 8e9)} bytes waiting for the link (${formatDuration(queuedBehind)} at its rate)`);
      }
      let arrivesAt = arrivals[k];
      if (!carried[k]) notes.push(queuedText(s));
      else if (arrivesAt !== undefined && repaired) {
        arrivesAt = undefined;
        notes.push('delivered only after the earlier bytes being retransmitted');
      } else if (arrivesAt === undefined) notes.push(...(fates[k] as string[]));
      if (k === frames.length - 1) for (const n of netNotes ?? []) notes.push(n.text);
      return { arrivesAt: carried[k] ? arrivesAt : undefined, notes: notes.length === 0 ? NO_NOTES : notes, bytes: bytes[k] };
    });
  };

  const lensBuf: number[] = [];
  const sendFrames = (from: Actor, frames: readonly Frame[], now: Nanos, report: boolean): SendReport[] | undefined => {
    const h = hostOf(from);
    if (h.crashed || h.sock.state === 'CLOSE' || h.sock.orphan) return report ? frames.map(() => ({ arrivesAt: undefined, notes: ['socket closed: not sent'] })) : undefined;
    if (observe === undefined) {
      clearArray(lensBuf);
      for (let i = 0; i < frames.length; i++) lensBuf.push(cfg.wire[from].size(frames[i] as Frame));
      return write(h, frames, lensBuf, now, report ? frames.map(() => undefined) : undefined);
    }
    const bytes = frames.map((f) => cfg.wire[from].bytes(f));
    return write(h, frames, bytes.map((b) => b.length), now, bytes);
  };

  return {
    sendFrame(from, frame, now) {
      return (sendFrames(from, [frame], now, true) as SendReport[])[0] as SendReport;
    },
    sendFrames,
    closeSocket(from, signal, now) {
      const h = hostOf(from);
      if (h.crashed) return { arrivesAt: undefined, notes: [] };
      const s = h.sock;
      const r = socketClose(s, signal === 'RST', now, out);
      lastArrival = undefined;
      const sent = out.segments.length > 0;
      const netNotes: NetNote[] = [];
      flush(h, now, tracing ? netNotes : undefined);
      const notes: string[] = netNotes.map((n) => n.text);
      if (r === 'fin' && !sent && tracing) notes.push(finHeldText(s));
      return { arrivesAt: sent ? lastArrival : undefined, notes };
    },
    frameRead(actor, now) {
      const h = hostOf(actor);
      const end = h.unread.shift();
      if (end === undefined || h.crashed) return;
      socketRead(h.sock, end, now, out);
      flush(h, now, undefined);
    },
    crash(actor) {
      const h = hostOf(actor);
      h.crashed = true;
      // What the crashed host had in flight is gone, and so is anything still coming to it.
      queue.removeWhere((q) => q.to === h.peer || q.to === h);
    },
    nextEvent() {
      const arrival = queue.topAt();
      const st = hostTimerAt(server);
      const ct = hostTimerAt(client);
      const timer = ct < st ? ct : st;
      const next = nextBuf;
      if (arrival !== Number.POSITIVE_INFINITY && arrival <= timer) {
        next.at = arrival;
        next.kind = 'arrival';
        return next;
      }
      if (timer === Number.POSITIVE_INFINITY) return undefined;
      next.at = timer;
      next.kind = 'kernelTimer';
      return next;
    },
    step(now, notes: NetNote[]): Delivery[] {
      clearArray(deliveries);
      const n = tracing ? notes : undefined;
      if (queue.topAt() <= now) {
        const item = queue.popItem() as InFlight;
        arrival(item, now, n);
        spent.push(item);
        return deliveries;
      }
      // Kernel timers: the server's first, then the client's.
      const h = hostTimerAt(server) <= now ? server : hostTimerAt(client) <= now ? client : undefined;
      if (h === undefined) return deliveries;
      socketFireTimer(h.sock, now, out);
      flush(h, now, n);
      return deliveries;
    },
    setTracing(on) {
      tracing = on;
    },
    stats: () => ({ client: statsOf(client), server: statsOf(server) }),
  };

  function statsOf(h: Host): Record<string, number> {
    return { ...h.path.stats, retransmissions: h.sock.stats.retransmissions, finSent: h.finSent, rstSent: h.rstSent };
  }

  function arrival(item: InFlight, now: Nanos, notes: NetNote[] | undefined): void {
    const h = item.to;
    if (h.crashed) return;
    const s = h.sock;
    if (s.state === 'CLOSE') {
      // No socket for it any more: the host answers with RST (tcp_v4_send_reset).
      const r = resetFor(item.seg, now);
      if (r !== undefined) transmit(h, r, now, notes);
      return;
    }
    pendingRstBy = item.rstBy;
    socketInput(s, item.seg, now, out);
    if (notes !== undefined && !item.seg.rst && (s.state as string) === 'CLOSE' && out.segments.some((x) => x.rst)) {
      notes.push({ actor: h.actor, what: 'afterClose', text: `data arrived after close (bytes ${item.seg.seq}..${segEnd(item.seg)}): the connection is reset, RST sent` });
    }
    flush(h, now, notes);
  }

  function queuedText(s: TcpSocket): string {
    if (s.caState === 'Loss' || s.caState === 'Recovery') return `queued in the socket: congestion window ${s.cwnd} full (${s.caState} state, ${s.packetsOut} segment${s.packetsOut === 1 ? '' : 's'} unacknowledged)`;
    return `queued in the socket: congestion window ${s.cwnd} full`;
  }

  function finHeldText(s: TcpSocket): string {
    return `FIN queued, not sent: ${queuedText(s).replace('queued in the socket: ', '')}${s.cfg.features.finIgnoresCwnd ? '' : ' (Linux 6.10+ holds a FIN behind the congestion window)'}`;
  }
}

function formatInstant(ns: Nanos): string {
  return `${(ns / 1e9).toFixed(3)}s`;
}
