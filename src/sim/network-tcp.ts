import type { Actor } from '../conn/types.js';
import { frameCountKey, type Frame, type PingPayloadKind } from '../frames/frame.js';
import type { FrameWire } from './frame-wire.js';
import { formatDuration } from '../time/duration.js';
import { EventQueue } from '../time/event-queue.js';
import type { Rng } from '../time/rng.js';
import { MILLISECOND, type Nanos } from '../time/units.js';
import { createDelaySampler, type DelayModel } from '../transport/impairments/delay.js';
import { createLossProcess, type LossModel } from '../transport/impairments/loss.js';
import { LINUX_TCP } from '../transport/tcp/linux-constants.js';
import {
  createTcpDirection,
  currentRto,
  queuedBytes,
  tcpAckArrived,
  tcpRtoFired,
  tcpSegmentArrivedInto,
  tcpWrite,
  type TcpItem,
  type Segment,
  type TcpDirection,
} from '../transport/tcp/tcp-direction.js';
import { createKeepaliveProbe, keepaliveAckSeen, keepaliveTimerFired, type TcpKeepaliveConfig, type TcpKeepaliveState } from '../transport/tcp/tcp-keepalive.js';
import type { Outage } from '../transport/scripted-link.js';
import { clearArray } from './clear-array.js';
import type { Delivery, NetNote, NetworkModel, SendReport } from './network.js';
import type { PacketKind, PacketLoss, PacketObserver, PayloadSlice } from './packet-record.js';

/** A frame-matching rule: the nth frame of a kind (optionally a PING payload) in one direction. */
export type FrameMatch = { readonly frame: string; readonly ping?: PingPayloadKind | undefined; readonly nth: number; readonly label: string };

export type TcpLinkConfig = {
  readonly delay: DelayModel;
  readonly loss: LossModel;
  readonly bitsPerSecond: number | undefined;
  /** Hold the matched frame's bytes until `by` after they would have arrived. */
  readonly holds: readonly (FrameMatch & { readonly by: Nanos })[];
  /** Drop the first `times` transmissions of the segments carrying the matched frame. */
  readonly drops: readonly (FrameMatch & { readonly times: number })[];
  /** Packets leaving while one of these is down are lost. */
  readonly blackholes: readonly Outage[];
};

export type TcpNetworkConfig = {
  /** Keyed by the sending side: `client` is the client-to-server direction. */
  readonly links: Readonly<Record<Actor, TcpLinkConfig>>;
  /** Each side's TCP_USER_TIMEOUT (set by grpc-go on its socket). */
  readonly userTimeout: Readonly<Record<Actor, Nanos | undefined>>;
  /** Each side's SO_KEEPALIVE settings; `undefined`: off. */
  readonly keepalive: Readonly<Record<Actor, TcpKeepaliveConfig | undefined>>;
  /** A NAT or load balancer on the path that forgets idle flows. */
  readonly nat: { readonly idleTimeout: Nanos; readonly action: 'drop' | 'reset' } | undefined;
  readonly mss: number;
  readonly retries2: number;
  /** Called for every packet the model puts on the wire (for pcap export); costs nothing when absent. */
  readonly onPacket?: PacketObserver | undefined;
  /** Each side's frame encoder: the octets a frame takes on the wire. */
  readonly wire: Readonly<Record<Actor, FrameWire>>;
};

type Payload = Frame | 'FIN';

/** What is in flight: one shape for every kind of packet, recycled through a pool once handled. */
type Item = {
  k: ItemKind;
  /** `SEG`: the sending side; the others: the receiving side. */
  side: Side;
  seq: number;
  len: number;
  ack: number;
  /** `SEG`: the TCP timestamp it carries (TSval: when this transmission left); `ACK`: the one it echoes (TSecr). */
  ts: Nanos | undefined;
  probe: boolean;
  rstBy: 'peer' | 'middlebox';
};
type ItemKind = typeof SEG | typeof ACK | typeof PROBE | typeof RST;
const SEG = 0;
const ACK = 1;
const PROBE = 2;
const RST = 3;

type Marked = { readonly start: number; readonly end: number; readonly holdUntil?: Nanos; dropsLeft?: number; readonly label: string };

type Side = {
  readonly actor: Actor;
  /** The other end; set once both sides exist. */
  peer: Side;
  readonly userTimeout: Nanos | undefined;
  readonly tcp: TcpDirection<Payload>;
  readonly link: TcpLinkConfig;
  readonly loss: { drop(): boolean };
  readonly delay: { sample(): Nanos };
  /** Counts of matches per hold/drop rule, for `nth`. */
  readonly holdSeen: number[];
  readonly dropSeen: number[];
  readonly marked: Marked[];
  lastArrival: Nanos;
  readonly ka: TcpKeepaliveState | undefined;
  /** The application closed this socket. */
  closed: boolean;
  /** The socket is gone: reset, aborted or crashed. Sends nothing, receives nothing. */
  dead: boolean;
  crashed: boolean;
  readonly stats: Record<string, number>;
  /** With an observer: the frames written and not yet acknowledged, for the data records. */
  readonly written: PayloadSlice[];
  /** With an observer: the stream offset of this side's FIN, once written. */
  finAt: number | undefined;
};

const RANK_ARRIVAL = 0;
const NO_NOTES: readonly string[] = Object.freeze([]);

/**
 * The TCP network: one TcpDirection per side, with the link's delay, loss and rate, scripted
 * holds, drops and blackholes, TCP keepalive, and an optional NAT that forgets idle flows.
 *
 * Per-packet work allocates little: one queue item per packet, scratch arrays for notes and
 * deliveries, one reused report per send. `step`'s array and `sendFrame`'s report are valid until
 * the next call. With tracing off (`setTracing(false)`) no note text is built at all.
 */
export function createTcpNetwork(cfg: TcpNetworkConfig, rng: Rng): NetworkModel {
  const makeSide = (a: Actor, label: number): Side => ({
    actor: a,
    peer: undefined as unknown as Side,
    userTimeout: cfg.userTimeout[a],
    tcp: createTcpDirection<Payload>({ mss: cfg.mss, bitsPerSecond: cfg.links[a].bitsPerSecond, userTimeout: cfg.userTimeout[a], retries2: cfg.retries2 }),
    link: cfg.links[a],
    loss: createLossProcess(cfg.links[a].loss, rng.fork(label)),
    delay: createDelaySampler(cfg.links[a].delay, rng.fork(label + 1)),
    holdSeen: cfg.links[a].holds.map(() => 0),
    dropSeen: cfg.links[a].drops.map(() => 0),
    marked: [],
    lastArrival: 0,
    ka: cfg.keepalive[a] === undefined ? undefined : createKeepaliveProbe(cfg.keepalive[a] as TcpKeepaliveConfig, 0),
    closed: false,
    dead: false,
    crashed: false,
    stats: {},
    written: [],
    finAt: undefined,
  });
  const client = makeSide('client', 10);
  const server = makeSide('server', 20);
  client.peer = server;
  server.peer = client;
  const queue = new EventQueue<Item>();
  const pool: Item[] = [];
  /** Puts a packet in flight, reusing a handled item when there is one. */
  const send = (at: Nanos, k: ItemKind, side: Side, seq: number, len: number, ack: number, probe: boolean, rstBy: 'peer' | 'middlebox', ts?: Nanos): void => {
    const it = pool.pop();
    if (it === undefined) {
      queue.push(at, RANK_ARRIVAL, { k, side, seq, len, ack, ts, probe, rstBy });
      return;
    }
    it.k = k;
    it.side = side;
    it.seq = seq;
    it.len = len;
    it.ack = ack;
    it.ts = ts;
    it.probe = probe;
    it.rstBy = rstBy;
    queue.push(at, RANK_ARRIVAL, it);
  };
  // nextEvent() runs once per world step: one reused answer instead of an allocation each time.
  const nextBuf: { at: Nanos; kind: 'arrival' | 'kernelTimer' } = { at: 0, kind: 'arrival' };
  const nat = cfg.nat === undefined ? undefined : { ...cfg.nat, lastSeen: 0, forgotten: false };
  const observe = cfg.onPacket;
  /** Note text is only built when someone reads it (a traced run). */
  let tracing = true;
  /** Scratch for one call's notes; copied out when non-empty. */
  const scratch: string[] = [];
  const delivered: TcpItem<Payload>[] = [];
  const deliveries: Delivery[] = [];
  const report: { arrivesAt: Nanos | undefined; notes: readonly string[]; bytes: Uint8Array | undefined } = { arrivesAt: undefined, notes: NO_NOTES, bytes: undefined };
  const count = (s: Side, key: string): void => {
    s.stats[key] = (s.stats[key] ?? 0) + 1;
  };
  // What the last traverse() decided, for the packet observer.
  let lostWhy: PacketLoss = 'loss';
  let wasHeld = false;

  /**
   * A packet leaves `from` at `departAt`: does it survive the path, and when does it arrive?
   * Notes go to `notes` when it is given (tracing).
   */
  const traverse = (s: Side, departAt: Nanos, notes: string[] | undefined, start: number, end: number): Nanos | undefined => {
    wasHeld = false;
    if (nat !== undefined) {
      if (!nat.forgotten && departAt - nat.lastSeen > nat.idleTimeout) nat.forgotten = true;
      if (nat.forgotten) {
        count(s, 'natDropped');
        lostWhy = 'nat';
        notes?.push(`NAT forgot the flow after ${formatDuration(nat.idleTimeout)} idle: ${nat.action === 'reset' ? 'answered with RST' : 'dropped'}`);
        if (nat.action === 'reset') {
          const arrives = departAt + s.peer.link.delay.base;
          send(arrives, RST, s, 0, 0, 0, false, 'middlebox');
          if (observe !== undefined) packet('rst', s.peer, s.peer.tcp.sndNxt, 0, departAt, arrives, undefined, 'middlebox');
        }
        return undefined;
      }
      nat.lastSeen = departAt;
    }
    const blackholes = s.link.blackholes;
    for (let i = 0; i < blackholes.length; i++) {
      const b = blackholes[i] as Outage;
      if (b.downUntil(departAt) !== undefined) {
        count(s, 'blackholed');
        lostWhy = 'blackhole';
        notes?.push(b.label);
        return undefined;
      }
    }
    const marked = s.marked;
    if (start < end) {
      for (let i = 0; i < marked.length; i++) {
        const m = marked[i] as Marked;
        if (m.dropsLeft !== undefined && m.dropsLeft > 0 && start < m.end && m.start < end) {
          m.dropsLeft--;
          count(s, 'scriptedLoss');
          lostWhy = 'scripted';
          notes?.push(`${m.label}: lost`);
          return undefined;
        }
      }
    }
    if (s.loss.drop()) {
      count(s, 'lost');
      lostWhy = 'loss';
      notes?.push('lost');
      return undefined;
    }
    let arrives = departAt + s.delay.sample();
    if (start < end) {
      for (let i = 0; i < marked.length; i++) {
        const m = marked[i] as Marked;
        if (m.holdUntil !== undefined && start < m.end && m.start < end && m.holdUntil > arrives) {
          arrives = m.holdUntil;
          wasHeld = true;
          notes?.push(m.label);
        }
      }
    }
    // One queue per direction: a packet never overtakes the one before it (netem with a rate).
    if (arrives < s.lastArrival) arrives = s.lastArrival;
    s.lastArrival = arrives;
    return arrives;
  };

  /** Reports one packet to the observer (only called when there is one). */
  function packet(kind: PacketKind, from: Side, seq: number, len: number, departAt: Nanos, arrives: Nanos | undefined, tx?: number, rstBy?: 'peer' | 'middlebox', frames?: readonly PayloadSlice[]): void {
    (observe as PacketObserver)({
      kind,
      from: from.actor,
      seq,
      len,
      ack: from.peer.tcp.rcvNxt,
      departAt,
      ...(arrives === undefined ? { lost: true as const, why: lostWhy } : { arriveAt: arrives }),
      ...(arrives !== undefined && wasHeld ? { held: true as const } : {}),
      ...(tx === undefined ? {} : { tx }),
      ...(rstBy === undefined ? {} : { rstBy }),
      ...(frames === undefined ? {} : { frames }),
    });
  }

  function observeSegment(s: Side, seg: Segment, arrives: Nanos | undefined): void {
    const end = seg.seq + seg.len;
    if (s.finAt !== undefined && seg.seq === s.finAt) {
      packet('fin', s, seg.seq, seg.len, seg.departAt, arrives, seg.tx);
      return;
    }
    // Frames wholly acknowledged can no longer be retransmitted: forget them.
    while (s.written.length > 0 && (s.written[0] as PayloadSlice).end <= s.tcp.sndUna) s.written.shift();
    const frames = s.written.filter((w) => w.start < end && seg.seq < w.end);
    packet('data', s, seg.seq, seg.len, seg.departAt, arrives, seg.tx, undefined, frames);
  }

  const transmit = (s: Side, seg: Segment, notes: string[] | undefined): Nanos | undefined => {
    const arrives = traverse(s, seg.departAt, notes, seg.seq, seg.seq + seg.len);
    if (arrives !== undefined && !s.peer.crashed) send(arrives, SEG, s, seg.seq, seg.len, 0, false, 'peer', seg.departAt);
    if (observe !== undefined) observeSegment(s, seg, arrives);
    return arrives;
  };

  const markRules = (s: Side, frame: Frame, start: number, end: number, now: Nanos): void => {
    const matches = (m: FrameMatch): boolean =>
      m.frame === frameCountKey(frame) && (m.ping === undefined || (frame.type === 'PING' && frame.payload === m.ping));
    s.link.holds.forEach((h, i) => {
      if (!matches(h)) return;
      s.holdSeen[i] = (s.holdSeen[i] ?? 0) + 1;
      if (s.holdSeen[i] === h.nth) s.marked.push({ start, end, holdUntil: now + s.link.delay.base + h.by, label: h.label });
    });
    s.link.drops.forEach((d, i) => {
      if (!matches(d)) return;
      s.dropSeen[i] = (s.dropSeen[i] ?? 0) + 1;
      if (s.dropSeen[i] === d.nth) s.marked.push({ start, end, dropsLeft: d.times, label: d.label });
    });
  };

  const write = (s: Side, payload: Payload, len: number, now: Nanos, bytes: Uint8Array | undefined): SendReport => {
    const start = s.tcp.writeOffset;
    if (payload !== 'FIN' && (s.link.holds.length > 0 || s.link.drops.length > 0)) markRules(s, payload, start, start + len, now);
    if (observe !== undefined) {
      if (payload === 'FIN') s.finAt = start;
      else s.written.push({ frame: payload, start, end: start + len, ...(bytes === undefined ? {} : { bytes }) });
    }
    const notes = tracing ? scratch : undefined;
    clearArray(scratch);
    // Worth a note once the wait is noticeable next to keepalive timescales (10 ms).
    if (notes !== undefined && s.tcp.linkFreeAt > now + 10 * MILLISECOND) {
      notes.push(`queued behind ${queuedBytes(s.tcp, now).waitingForLink} bytes waiting for the link (${formatDuration(s.tcp.linkFreeAt - now)} at its rate)`);
    }
    let arrivesAt: Nanos | undefined;
    const segs = tcpWrite(s.tcp, payload, len, now);
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i] as Segment;
      const a = transmit(s, seg, notes);
      if (seg.seq + seg.len === s.tcp.writeOffset) arrivesAt = a;
    }
    if (arrivesAt !== undefined && s.tcp.rcvNxt < start && s.tcp.outstanding.some((seg) => seg.tx > 1 && seg.seq < start)) {
      // Earlier bytes are being retransmitted: in-order delivery waits for them.
      arrivesAt = undefined;
      notes?.push('delivered only after the earlier bytes being retransmitted');
    }
    report.arrivesAt = arrivesAt;
    report.notes = scratch.length === 0 ? NO_NOTES : scratch.slice();
    report.bytes = bytes;
    return report;
  };

  const kill = (s: Side): void => {
    s.dead = true;
    s.tcp.rtoDeadline = undefined;
    if (s.ka !== undefined) s.ka.deadline = undefined;
  };

  /** `from`'s kernel sends an RST now (the caller has checked it may). */
  const sendRst = (from: Side, now: Nanos, notes: string[] | undefined): Nanos | undefined => {
    const arrives = traverse(from, now, notes, 0, 0);
    if (observe !== undefined) packet('rst', from, from.tcp.sndNxt, 0, now, arrives, undefined, 'peer');
    return arrives;
  };

  /** The earliest kernel timer of a live side (`Infinity`: none). */
  const timerOf = (s: Side): number => {
    if (s.dead) return Number.POSITIVE_INFINITY;
    const rto = s.tcp.rtoDeadline;
    const ka = s.ka === undefined ? undefined : s.ka.deadline;
    let t = rto === undefined ? Number.POSITIVE_INFINITY : rto;
    if (ka !== undefined && ka < t) t = ka;
    return t;
  };

  return {
    sendFrame(from, frame, now) {
      const s = from === 'server' ? server : client;
      if (s.closed || s.dead) return { arrivesAt: undefined, notes: ['socket closed: not sent'] };
      if (observe === undefined) return write(s, frame, cfg.wire[from].size(frame), now, undefined);
      const bytes = cfg.wire[from].bytes(frame);
      return write(s, frame, bytes.length, now, bytes);
    },
    closeSocket(from, signal, now) {
      const s = from === 'server' ? server : client;
      if (s.closed || s.dead) return { arrivesAt: undefined, notes: [] };
      s.closed = true;
      if (signal === 'FIN') {
        const r = write(s, 'FIN', 1, now, undefined);
        return { arrivesAt: r.arrivesAt, notes: r.notes };
      }
      // close() with unread data: RST at once, unsent and unacknowledged data discarded.
      kill(s);
      const notes: string[] = [];
      const arrives = sendRst(s, now, notes);
      if (arrives !== undefined) send(arrives, RST, s.peer, 0, 0, 0, false, 'peer');
      return { arrivesAt: arrives, notes };
    },
    crash(actor) {
      const s = actor === 'server' ? server : client;
      s.crashed = true;
      kill(s);
      // Whatever the crashed host had sent is gone: its segments, and its ACKs, probes and RSTs.
      queue.removeWhere((q) => (q.k === SEG ? q.side === s : q.side !== s));
    },
    nextEvent() {
      const arrival = queue.topAt();
      const st = timerOf(server);
      const ct = timerOf(client);
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
      // Arrivals first, then retransmission timers, then keepalive timers (server side first).
      if (queue.topAt() <= now) {
        const item = queue.popItem() as Item;
        arrival(item, now, notes);
        pool.push(item);
        return deliveries;
      }
      if (kernelTimer(server, now, notes)) return deliveries;
      kernelTimer(client, now, notes);
      return deliveries;
    },
    setTracing(on) {
      tracing = on;
    },
    stats: () => ({ client: { ...client.stats, retransmissions: client.tcp.retransmissions }, server: { ...server.stats, retransmissions: server.tcp.retransmissions } }),
  };

  /** Fires `a`'s due kernel timer, if any (retransmission before keepalive). */
  function kernelTimer(s: Side, now: Nanos, notes: NetNote[]): boolean {
    if (s.dead) return false;
    if (s.tcp.rtoDeadline !== undefined && s.tcp.rtoDeadline <= now) {
      rtoFired(s, now, notes);
      return true;
    }
    if (s.ka !== undefined && s.ka.deadline !== undefined && s.ka.deadline <= now) {
      keepaliveFired(s, now, notes);
      return true;
    }
    return false;
  }

  function arrival(item: Item, now: Nanos, notes: NetNote[]): void {
    switch (item.k) {
      case SEG: {
        const from = item.side;
        const r = from.peer;
        if (r.crashed) return;
        if (r.dead) {
          // The connection no longer exists on this host (reset or aborted): its kernel answers with RST.
          const arrives = sendRst(r, now, undefined);
          if (arrives !== undefined && !from.dead) send(arrives, RST, from, 0, 0, 0, false, 'peer');
          return;
        }
        touchKeepalive(r, now);
        clearArray(delivered);
        const ack = tcpSegmentArrivedInto(from.tcp, item.seq, item.len, delivered, item.ts);
        let newData = false;
        for (let i = 0; i < delivered.length; i++) {
          const it = delivered[i] as TcpItem<Payload>;
          if (it.payload === 'FIN') deliveries.push({ kind: 'fin', to: r.actor });
          else {
            newData = true;
            deliveries.push({ kind: 'frame', to: r.actor, frame: it.payload, sentAt: it.writtenAt });
          }
        }
        // Data for a socket the application has closed: the kernel answers with RST.
        if (r.closed && newData) {
          clearArray(deliveries);
          kill(r);
          const arrives = sendRst(r, now, undefined);
          if (arrives !== undefined) send(arrives, RST, from, 0, 0, 0, false, 'peer');
          if (tracing) notes.push({ actor: r.actor, text: `data arrived after close: RST sent${arrives === undefined ? ' (lost)' : `, arrives ${formatInstant(arrives)}`}` });
          return;
        }
        sendAck(r, ack, false, now);
        return;
      }
      case ACK: {
        const s = item.side;
        if (s.dead) return;
        touchKeepalive(s, now);
        if (item.probe && s.ka !== undefined) keepaliveAckSeen(s.ka, now);
        const r = tcpAckArrived(s.tcp, item.ack, now, item.ts);
        if (r.retransmit !== undefined) {
          const n = tracing ? [] : undefined;
          transmit(s, r.retransmit, n);
          if (n !== undefined) {
            notes.push({ actor: s.actor, text: `fast retransmit of bytes ${r.retransmit.seq}..${r.retransmit.seq + r.retransmit.len} after 3 duplicate ACKs${n.length > 0 ? ` (${n.join(', ')})` : ''}` });
          }
        }
        return;
      }
      case PROBE: {
        // A keepalive probe reaches the peer's kernel, which answers with an ACK.
        const r = item.side;
        if (r.crashed || r.dead) return;
        touchKeepalive(r, now);
        sendAck(r, r.peer.tcp.rcvNxt, true, now);
        return;
      }
      case RST: {
        const s = item.side;
        if (s.dead) return;
        kill(s);
        deliveries.push({ kind: 'rst', to: s.actor, from: item.rstBy });
        return;
      }
      default:
        return;
    }
  }

  /** `from` (the receiver of a direction) acknowledges; the ACK travels back to the data sender. */
  function sendAck(from: Side, ack: number, probe: boolean, now: Nanos): void {
    const arrives = traverse(from, now, undefined, 0, 0);
    if (observe !== undefined) packet(probe ? 'keepaliveAck' : 'ack', from, from.tcp.sndNxt, 0, now, arrives);
    // The ACK echoes TS.Recent of the direction it acknowledges (the peer's data to `from`).
    if (arrives !== undefined && !from.peer.crashed) send(arrives, ACK, from.peer, 0, 0, ack, probe, 'peer', from.peer.tcp.tsRecent);
  }

  function rtoFired(s: Side, now: Nanos, notes: NetNote[]): void {
    const rtoBefore = currentRto(s.tcp);
    const r = tcpRtoFired(s.tcp, now);
    if (r.kind === 'abort') {
      kill(s);
      if (tracing) notes.push({ actor: s.actor, text: `kernel aborts the connection: ${r.why === 'user-timeout' ? 'TCP_USER_TIMEOUT expired' : 'tcp_retries2 exhausted'} (ETIMEDOUT)` });
      deliveries.push({ kind: 'abort', actor: s.actor, why: r.why });
      return;
    }
    if (r.kind === 'retransmit') {
      const n = tracing ? [] : undefined;
      const arrives = transmit(s, r.segment, n);
      if (n === undefined) return;
      notes.push({
        actor: s.actor,
        text: `RTO ${formatDuration(rtoBefore)} expired: retransmit bytes ${r.segment.seq}..${r.segment.seq + r.segment.len} (try ${r.segment.tx}, next RTO ${formatDuration(currentRto(s.tcp))})${arrives === undefined ? `: ${n.join(', ')}` : `, arrives ${formatInstant(arrives)}`}`,
      });
    }
  }

  function keepaliveFired(s: Side, now: Nanos, notes: NetNote[]): void {
    const ka = s.ka as TcpKeepaliveState;
    const r = keepaliveTimerFired(ka, now, s.tcp.outstanding.length > 0, s.userTimeout);
    if (r === 'abort') {
      // tcp_keepalive_timer sends an RST before giving up.
      kill(s);
      const arrives = sendRst(s, now, undefined);
      if (arrives !== undefined) send(arrives, RST, s.peer, 0, 0, 0, false, 'peer');
      if (tracing) notes.push({ actor: s.actor, text: `TCP keepalive: ${ka.probesOut} probes unanswered, kernel aborts the connection (ETIMEDOUT) and sends RST` });
      deliveries.push({ kind: 'abort', actor: s.actor, why: 'tcp-keepalive' });
      return;
    }
    if (r === 'probe') {
      const n = tracing ? scratch : undefined;
      clearArray(scratch);
      const arrives = traverse(s, now, n, 0, 0);
      if (observe !== undefined) packet('keepalive', s, s.tcp.sndUna - 1, 0, now, arrives);
      if (arrives !== undefined && !s.peer.crashed) send(arrives, PROBE, s.peer, 0, 0, 0, false, 'peer');
      // The first probe of an idle period is routine and answered; say something once one went unanswered.
      if (tracing && (ka.probesOut > 1 || arrives === undefined)) {
        notes.push({ actor: s.actor, text: `TCP keepalive probe ${ka.probesOut}${ka.probesOut > 1 ? ` (${ka.probesOut - 1} unanswered)` : ''}${arrives === undefined ? `: ${scratch.join(', ') || 'lost'}` : ''}` });
      }
    }
  }

  function touchKeepalive(s: Side, now: Nanos): void {
    if (s.ka !== undefined) keepaliveAckSeen(s.ka, now);
  }
}

function formatInstant(ns: Nanos): string {
  return `${(ns / 1e9).toFixed(3)}s`;
}

export const DEFAULT_TCP = { mss: LINUX_TCP.mss, retries2: LINUX_TCP.retries2 } as const;
