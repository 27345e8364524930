import type { Actor } from '../conn/types.js';
import { frameCountKey, frameSize, type Frame, type PingPayloadKind } from '../frames/frame.js';
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
  tcpSegmentArrived,
  tcpWrite,
  type Segment,
  type TcpDirection,
} from '../transport/tcp/tcp-direction.js';
import { createKeepaliveProbe, keepaliveAckSeen, keepaliveTimerFired, type TcpKeepaliveConfig, type TcpKeepaliveState } from '../transport/tcp/tcp-keepalive.js';
import type { Outage } from '../transport/scripted-link.js';
import type { Delivery, NetNote, NetworkModel, SendReport } from './network.js';

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
};

type Payload = Frame | 'FIN';

type Item =
  | { readonly k: 'seg'; readonly from: Actor; readonly seq: number; readonly len: number }
  | { readonly k: 'ack'; readonly to: Actor; readonly ack: number; readonly probe: boolean }
  | { readonly k: 'probe'; readonly to: Actor }
  | { readonly k: 'rst'; readonly to: Actor; readonly from: 'peer' | 'middlebox' };

type Marked = { readonly start: number; readonly end: number; readonly holdUntil?: Nanos; dropsLeft?: number; readonly label: string };

type Side = {
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
};

const RANK_ARRIVAL = 0;

/**
 * The TCP network: one TcpDirection per side, with the link's delay, loss and rate, scripted
 * holds, drops and blackholes, TCP keepalive, and an optional NAT that forgets idle flows.
 */
export function createTcpNetwork(cfg: TcpNetworkConfig, rng: Rng): NetworkModel {
  const makeSide = (a: Actor, label: number): Side => ({
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
  });
  const sides: Record<Actor, Side> = { client: makeSide('client', 10), server: makeSide('server', 20) };
  const other = (a: Actor): Actor => (a === 'server' ? 'client' : 'server');
  const queue = new EventQueue<Item>();
  // nextEvent() runs once per world step: one reused answer instead of an allocation each time.
  const nextBuf: { at: Nanos; kind: 'arrival' | 'kernelTimer' } = { at: 0, kind: 'arrival' };
  const nat = cfg.nat === undefined ? undefined : { ...cfg.nat, lastSeen: 0, forgotten: false };
  const count = (s: Side, key: string): void => {
    s.stats[key] = (s.stats[key] ?? 0) + 1;
  };

  /** A packet leaves `from` at `departAt`: does it survive the path, and when does it arrive? */
  const traverse = (from: Actor, departAt: Nanos, notes: string[], range?: { start: number; end: number }): Nanos | undefined => {
    const s = sides[from];
    if (nat !== undefined) {
      if (!nat.forgotten && departAt - nat.lastSeen > nat.idleTimeout) nat.forgotten = true;
      if (nat.forgotten) {
        count(s, 'natDropped');
        notes.push(`NAT forgot the flow after ${formatDuration(nat.idleTimeout)} idle: ${nat.action === 'reset' ? 'answered with RST' : 'dropped'}`);
        if (nat.action === 'reset') queue.push(departAt + sides[other(from)].link.delay.base, RANK_ARRIVAL, { k: 'rst', to: from, from: 'middlebox' });
        return undefined;
      }
      nat.lastSeen = departAt;
    }
    for (const b of s.link.blackholes) {
      if (b.downUntil(departAt) !== undefined) {
        count(s, 'blackholed');
        notes.push(b.label);
        return undefined;
      }
    }
    if (range !== undefined) {
      for (const m of s.marked) {
        if (m.dropsLeft !== undefined && m.dropsLeft > 0 && range.start < m.end && m.start < range.end) {
          m.dropsLeft--;
          count(s, 'scriptedLoss');
          notes.push(`${m.label}: lost`);
          return undefined;
        }
      }
    }
    if (s.loss.drop()) {
      count(s, 'lost');
      notes.push('lost');
      return undefined;
    }
    let arrives = departAt + s.delay.sample();
    if (range !== undefined) {
      for (const m of s.marked) {
        if (m.holdUntil !== undefined && range.start < m.end && m.start < range.end && m.holdUntil > arrives) {
          arrives = m.holdUntil;
          notes.push(m.label);
        }
      }
    }
    // One queue per direction: a packet never overtakes the one before it (netem with a rate).
    if (arrives < s.lastArrival) arrives = s.lastArrival;
    s.lastArrival = arrives;
    return arrives;
  };

  const transmit = (from: Actor, seg: Segment, notes: string[]): Nanos | undefined => {
    const arrives = traverse(from, seg.departAt, notes, { start: seg.seq, end: seg.seq + seg.len });
    if (arrives !== undefined && !sides[other(from)].crashed) queue.push(arrives, RANK_ARRIVAL, { k: 'seg', from, seq: seg.seq, len: seg.len });
    return arrives;
  };

  const markRules = (from: Actor, frame: Frame, start: number, end: number, now: Nanos): void => {
    const s = sides[from];
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

  const write = (from: Actor, payload: Payload, len: number, now: Nanos): SendReport => {
    const s = sides[from];
    const start = s.tcp.writeOffset;
    if (payload !== 'FIN' && (s.link.holds.length > 0 || s.link.drops.length > 0)) markRules(from, payload, start, start + len, now);
    const notes: string[] = [];
    // Worth a note once the wait is noticeable next to keepalive timescales (10 ms).
    const queued = s.tcp.linkFreeAt > now + 10 * MILLISECOND ? { until: s.tcp.linkFreeAt, bytes: queuedBytes(s.tcp, now).waitingForLink } : undefined;
    if (queued !== undefined) notes.push(`queued behind ${queued.bytes} bytes waiting for the link (${formatDuration(queued.until - now)} at its rate)`);
    let arrivesAt: Nanos | undefined;
    for (const seg of tcpWrite(s.tcp, payload, len, now)) {
      const a = transmit(from, seg, notes);
      if (seg.seq + seg.len === s.tcp.writeOffset) arrivesAt = a;
    }
    if (arrivesAt !== undefined && s.tcp.rcvNxt < start && s.tcp.outstanding.some((seg) => seg.tx > 1 && seg.seq < start)) {
      // Earlier bytes are being retransmitted: in-order delivery waits for them.
      arrivesAt = undefined;
      notes.push('delivered only after the earlier bytes being retransmitted');
    }
    return { arrivesAt, notes };
  };

  const kill = (a: Actor): void => {
    const s = sides[a];
    s.dead = true;
    s.tcp.rtoDeadline = undefined;
    if (s.ka !== undefined) s.ka.deadline = undefined;
  };

  return {
    sendFrame(from, frame, now) {
      const s = sides[from];
      if (s.closed || s.dead) return { arrivesAt: undefined, notes: ['socket closed: not sent'] };
      return write(from, frame, frameSize(frame), now);
    },
    closeSocket(from, signal, now) {
      const s = sides[from];
      if (s.closed || s.dead) return { arrivesAt: undefined, notes: [] };
      s.closed = true;
      if (signal === 'FIN') return write(from, 'FIN', 1, now);
      // close() with unread data: RST at once, unsent and unacknowledged data discarded.
      kill(from);
      const notes: string[] = [];
      const arrives = traverse(from, now, notes);
      if (arrives !== undefined) queue.push(arrives, RANK_ARRIVAL, { k: 'rst', to: other(from), from: 'peer' });
      return { arrivesAt: arrives, notes };
    },
    crash(actor) {
      const s = sides[actor];
      s.crashed = true;
      kill(actor);
      queue.removeWhere((q) => (q.k === 'seg' ? q.from === actor : q.to !== actor));
    },
    nextEvent() {
      const arrival = queue.peek()?.at;
      const next = nextBuf;
      let timer: Nanos | undefined;
      for (const a of ['server', 'client'] as const) {
        const s = sides[a];
        if (s.dead) continue;
        for (const d of [s.tcp.rtoDeadline, s.ka?.deadline]) if (d !== undefined && (timer === undefined || d < timer)) timer = d;
      }
      if (arrival !== undefined && (timer === undefined || arrival <= timer)) {
        next.at = arrival;
        next.kind = 'arrival';
        return next;
      }
      if (timer === undefined) return undefined;
      next.at = timer;
      next.kind = 'kernelTimer';
      return next;
    },
    step(now, notes: NetNote[]): Delivery[] {
      // Arrivals first, then retransmission timers, then keepalive timers (server side first).
      const top = queue.peek();
      if (top !== undefined && top.at <= now) return arrival((queue.pop() as { item: Item }).item, now, notes);
      for (const a of ['server', 'client'] as const) {
        const s = sides[a];
        if (s.dead) continue;
        if (s.tcp.rtoDeadline !== undefined && s.tcp.rtoDeadline <= now) return rtoFired(a, now, notes);
        if (s.ka?.deadline !== undefined && s.ka.deadline <= now) return keepaliveFired(a, now, notes);
      }
      return [];
    },
    stats: () => ({ client: { ...sides.client.stats, retransmissions: sides.client.tcp.retransmissions }, server: { ...sides.server.stats, retransmissions: sides.server.tcp.retransmissions } }),
  };

  function arrival(item: Item, now: Nanos, notes: NetNote[]): Delivery[] {
    switch (item.k) {
      case 'seg': {
        const to = other(item.from);
        const r = sides[to];
        if (r.crashed) return [];
        if (r.dead) {
          // The connection no longer exists on this host (reset or aborted): its kernel answers with RST.
          const arrives = traverse(to, now, []);
          if (arrives !== undefined && !sides[item.from].dead) queue.push(arrives, RANK_ARRIVAL, { k: 'rst', to: item.from, from: 'peer' });
          return [];
        }
        touchKeepalive(r, now);
        const res = tcpSegmentArrived(sides[item.from].tcp, item.seq, item.len);
        const out: Delivery[] = [];
        let newData = false;
        for (const it of res.delivered) {
          if (it.payload === 'FIN') out.push({ kind: 'fin', to });
          else {
            newData = true;
            out.push({ kind: 'frame', to, frame: it.payload, sentAt: it.writtenAt });
          }
        }
        // Data for a socket the application has closed: the kernel answers with RST.
        if (r.closed && newData) {
          kill(to);
          const n: string[] = [];
          const arrives = traverse(to, now, n);
          if (arrives !== undefined) queue.push(arrives, RANK_ARRIVAL, { k: 'rst', to: item.from, from: 'peer' });
          notes.push({ actor: to, text: `data arrived after close: RST sent${arrives === undefined ? ' (lost)' : `, arrives ${formatInstant(arrives)}`}` });
          return [];
        }
        sendAck(to, res.ack, false, now);
        return out;
      }
      case 'ack': {
        const s = sides[item.to];
        if (s.dead) return [];
        touchKeepalive(s, now);
        if (item.probe && s.ka !== undefined) keepaliveAckSeen(s.ka, now);
        const r = tcpAckArrived(s.tcp, item.ack, now);
        if (r.retransmit !== undefined) {
          const n: string[] = [];
          transmit(item.to, r.retransmit, n);
          notes.push({ actor: item.to, text: `fast retransmit of bytes ${r.retransmit.seq}..${r.retransmit.seq + r.retransmit.len} after 3 duplicate ACKs${n.length > 0 ? ` (${n.join(', ')})` : ''}` });
        }
        return [];
      }
      case 'probe': {
        // A keepalive probe reaches the peer's kernel, which answers with an ACK.
        const r = sides[item.to];
        if (r.crashed || r.dead) return [];
        touchKeepalive(r, now);
        sendAck(item.to, sides[other(item.to)].tcp.rcvNxt, true, now);
        return [];
      }
      case 'rst': {
        const s = sides[item.to];
        if (s.dead) return [];
        kill(item.to);
        return [{ kind: 'rst', to: item.to, from: item.from }];
      }
      default:
        return [];
    }
  }

  /** `from` (the receiver of a direction) acknowledges; the ACK travels back to the data sender. */
  function sendAck(from: Actor, ack: number, probe: boolean, now: Nanos): void {
    const n: string[] = [];
    const arrives = traverse(from, now, n);
    if (arrives !== undefined && !sides[other(from)].crashed) queue.push(arrives, RANK_ARRIVAL, { k: 'ack', to: other(from), ack, probe });
  }

  function rtoFired(a: Actor, now: Nanos, notes: NetNote[]): Delivery[] {
    const s = sides[a];
    const rtoBefore = currentRto(s.tcp);
    const r = tcpRtoFired(s.tcp, now);
    if (r.kind === 'abort') {
      kill(a);
      notes.push({ actor: a, text: `kernel aborts the connection: ${r.why === 'user-timeout' ? 'TCP_USER_TIMEOUT expired' : 'tcp_retries2 exhausted'} (ETIMEDOUT)` });
      return [{ kind: 'abort', actor: a, why: r.why }];
    }
    if (r.kind === 'retransmit') {
      const n: string[] = [];
      const arrives = transmit(a, r.segment, n);
      notes.push({
        actor: a,
        text: `RTO ${formatDuration(rtoBefore)} expired: retransmit bytes ${r.segment.seq}..${r.segment.seq + r.segment.len} (try ${r.segment.tx}, next RTO ${formatDuration(currentRto(s.tcp))})${arrives === undefined ? `: ${n.join(', ')}` : `, arrives ${formatInstant(arrives)}`}`,
      });
    }
    return [];
  }

  function keepaliveFired(a: Actor, now: Nanos, notes: NetNote[]): Delivery[] {
    const s = sides[a];
    const ka = s.ka as TcpKeepaliveState;
    const r = keepaliveTimerFired(ka, now, s.tcp.outstanding.length > 0, cfg.userTimeout[a]);
    if (r === 'abort') {
      // tcp_keepalive_timer sends an RST before giving up.
      kill(a);
      const n: string[] = [];
      const arrives = traverse(a, now, n);
      if (arrives !== undefined) queue.push(arrives, RANK_ARRIVAL, { k: 'rst', to: other(a), from: 'peer' });
      notes.push({ actor: a, text: `TCP keepalive: ${ka.probesOut} probes unanswered, kernel aborts the connection (ETIMEDOUT) and sends RST` });
      return [{ kind: 'abort', actor: a, why: 'tcp-keepalive' }];
    }
    if (r === 'probe') {
      const n: string[] = [];
      const arrives = traverse(a, now, n);
      if (arrives !== undefined && !sides[other(a)].crashed) queue.push(arrives, RANK_ARRIVAL, { k: 'probe', to: other(a) });
      // The first probe of an idle period is routine and answered; say something once one went unanswered.
      if (ka.probesOut > 1 || arrives === undefined) {
        notes.push({ actor: a, text: `TCP keepalive probe ${ka.probesOut}${ka.probesOut > 1 ? ` (${ka.probesOut - 1} unanswered)` : ''}${arrives === undefined ? `: ${n.join(', ') || 'lost'}` : ''}` });
      }
    }
    return [];
  }

  function touchKeepalive(s: Side, now: Nanos): void {
    if (s.ka !== undefined) keepaliveAckSeen(s.ka, now);
  }
}

function formatInstant(ns: Nanos): string {
  return `${(ns / 1e9).toFixed(3)}s`;
}

export const DEFAULT_TCP = { mss: LINUX_TCP.mss, retries2: LINUX_TCP.retries2 } as const;
