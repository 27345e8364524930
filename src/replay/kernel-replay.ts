import type { Http2Connection } from '../capture/capture.js';
import type { TcpSegment } from '../capture/tcp-segment.js';
import type { Actor } from '../conn/types.js';
import type { HostKernel } from '../sim/host-socket.js';
import { hostSocketConfig } from '../sim/host-socket.js';
import type { KernelAbort } from '../sim/network.js';
import type { Nanos } from '../time/units.js';
import { tcpTimeStampMs } from '../transport/linux/kernel-clock.js';
import type { Segment } from '../transport/linux/segment.js';
import type { KeepaliveSettings, SocketOut } from '../transport/linux/socket-types.js';
import { createSocket, socketClose, socketFireTimer, socketInput, socketNextTimer, socketRead, socketWrite } from '../transport/linux/tcp-socket.js';

/**
 * What the modelled side's kernel would have done with the captured connection: kpsim's Linux
 * socket (src/transport/linux) for that side, fed the capture. Its writes are the side's new
 * data as the capture shows it leaving, at those times; its input is every segment the peer sent,
 * at its capture time (the capture is taken on the modelled side's host). What the model socket
 * sends goes nowhere: the peer's answers are the captured ones (an open loop), so the replay
 * answers "given how the peer and the path behaved, when would this kernel retransmit, and would
 * it give up (TCP_USER_TIMEOUT, tcp_retries2, TCP keepalive), and when".
 *
 * The host's tick grid is not in a capture, and it decides when timers fire (a backed-off RTO
 * lands on a timer-wheel bucket, up to 1/8 of its length late). With `fitGrid` it is read from
 * the capture: the tick phase from the first retransmission (timers run at tick starts), and the
 * tick count's offset, within the coarsest bucket the retransmissions' timers use, as the one
 * under which the model's retransmissions match the captured ones best (ties: the smallest).
 *
 * SIMPLIFICATIONS: a write is taken at the time its first byte left (a write queued behind a
 * closed congestion window is seen late); the capture's TCP timestamps are mapped to the model's
 * clock by the side's first TSval.
 */
export type KernelReplayOptions = {
  readonly side: Actor;
  readonly kernel: HostKernel;
  /** The kernel version's name for reports ("6.12"). */
  readonly kernelName: string;
  readonly userTimeout: Nanos | undefined;
  readonly keepalive: KeepaliveSettings | undefined;
  readonly mss: number;
  readonly retries2: number;
  /** How long the model may go on after the capture ends, with nothing more arriving, to see whether it gives up. */
  readonly beyond: Nanos;
  /** Fit the tick grid to the capture's retransmissions (otherwise `kernel`'s is used as given). */
  readonly fitGrid: boolean;
  /**
   * When the modelled application closes its socket, if it does (grpc-go's model in the replay):
   * a close the capture may not show, since the FIN can wait behind unacknowledged data.
   */
  readonly appClose?: { readonly at: Nanos; readonly rst: boolean } | undefined;
};

export type KernelRetransmission = { readonly at: Nanos; readonly seq: number; readonly how?: 'rto' | 'tlp' | 'fast' };

export type KernelReplay = {
  readonly side: Actor;
  readonly kernelName: string;
  readonly userTimeout: Nanos | undefined;
  /** The side's retransmissions in the capture (bytes sent again), and the model's. */
  readonly captured: readonly KernelRetransmission[];
  readonly model: readonly KernelRetransmission[];
  /** Captured retransmissions the model makes within MATCH_WINDOW (one to one, in order). */
  readonly matched: number;
  /**
   * The model socket gave up: when and why; `afterCapture`: only by running on past the capture's
   * end with nothing more arriving; `orphan`: its application had closed it already.
   */
  readonly abort: { readonly at: Nanos; readonly why: KernelAbort; readonly afterCapture: boolean; readonly orphan: boolean } | undefined;
  /** The first RTO retransmission of the episode that ended in the abort (TCP_USER_TIMEOUT counts from it). */
  readonly abortEpisodeStart: Nanos | undefined;
  /** The longest the model had data out without an ACK after an RTO retransmission, when it did not abort. */
  readonly longestStall: Nanos;
  /** The side's segments from the capture that were not used (the connection's start was not captured, ...). */
  readonly unusable: string | undefined;
  /** The tick grid the model ran on, and whether it was fitted to the capture. */
  readonly grid: { readonly jiffiesAtStart: number; readonly phaseNs: number; readonly fitted: boolean };
};

/** How close a model retransmission must be to a captured one to count as the same. */
export const MATCH_WINDOW: Nanos = 25e6;

const U32 = 2 ** 32;
/** `raw` relative to `base` in 32-bit sequence space, as a signed offset. */
function rel(raw: number, base: number): number {
  const d = (raw - base + U32) % U32;
  return d >= U32 / 2 ? d - U32 : d;
}

type Step =
  | { readonly at: Nanos; readonly k: 'write'; readonly len: number }
  | { readonly at: Nanos; readonly k: 'close'; readonly rst: boolean }
  | { readonly at: Nanos; readonly k: 'input'; readonly seg: Segment }
  | { readonly at: Nanos; readonly k: 'reset' };

/** From the timer interrupt to the segment in the capture (softirq, tcp_write_timer, transmit): a guess, well under a tick. */
const TIMER_TO_WIRE: Nanos = 20_000;
/** LVL_START(n) of the timer wheel in ticks and each level's granularity (kernel-clock.ts). */
const WHEEL_LEVELS = [0, 63, 504, 4032, 32256, 258048] as const;

export function replayKernel(conn: Http2Connection, options: KernelReplayOptions): KernelReplay {
  const first = simulateKernel(conn, options, options.kernel, false);
  if (!options.fitGrid || first.unusable !== undefined || first.captured.length === 0) return first;
  const k = options.kernel;
  const tickNs = 1e9 / k.hz;
  const c1 = (first.captured[0] as KernelRetransmission).at - TIMER_TO_WIRE;
  // Tick j starts at (j - base) * tick - phase: put a tick start at the first retransmission.
  const phaseNs = (((-c1 % tickNs) + tickNs) % tickNs) | 0;
  // The coarsest wheel level among the gaps between retransmissions sets how far the count must be searched.
  let widest = 0;
  for (let i = 1; i < first.captured.length; i++) widest = Math.max(widest, ((first.captured[i] as KernelRetransmission).at - (first.captured[i - 1] as KernelRetransmission).at) / tickNs);
  let level = 0;
  while (level + 1 < WHEEL_LEVELS.length && widest >= (WHEEL_LEVELS[level + 1] as number)) level++;
  const span = 8 ** level;
  let best: { r: KernelReplay; score: number; err: number } | undefined;
  for (let off = 0; off < span; off++) {
    const r = simulateKernel(conn, options, { ...k, jiffiesAtStart: off, phaseNs }, true);
    const err = matchError(r.captured, r.model);
    if (best === undefined || r.matched > best.score || (r.matched === best.score && err < best.err)) best = { r, score: r.matched, err };
  }
  return (best as { r: KernelReplay }).r;
}

function simulateKernel(conn: Http2Connection, options: KernelReplayOptions, kernel: HostKernel, fitted: boolean): KernelReplay {
  const side = options.side;
  const t0 = conn.startedAt;
  const me = conn[side];
  const tcp = conn.tcp;
  const mine = (s: TcpSegment): boolean => s.src === me.address && s.srcPort === me.port;
  const initiatorIsMe = tcp.initiator.address === me.address && tcp.initiator.port === me.port;
  const myBase = (initiatorIsMe ? tcp.fromInitiator : tcp.fromResponder).base;
  const peerBase = (initiatorIsMe ? tcp.fromResponder : tcp.fromInitiator).base;
  const grid = { jiffiesAtStart: kernel.jiffiesAtStart, phaseNs: kernel.phaseNs, fitted };
  const empty = (why: string): KernelReplay => ({ side, kernelName: options.kernelName, userTimeout: options.userTimeout, captured: [], model: [], matched: 0, abort: undefined, abortEpisodeStart: undefined, longestStall: 0, unusable: why, grid });
  if (myBase === undefined || peerBase === undefined) return empty('the capture does not show where both byte streams start');

  // The side's TCP timestamp clock against the model's (ms since time 0).
  const firstTs = tcp.segments.find((s) => mine(s) && s.options?.tsval !== undefined);
  const tsOffset = firstTs === undefined ? 0 : (firstTs.options?.tsval as number) - tcpTimeStampMs(firstTs.at - t0);

  const steps: Step[] = [];
  const captured: KernelRetransmission[] = [];
  let sentEnd = 0;
  for (const s of tcp.segments) {
    const at = s.at - t0;
    if (s.flags.syn) continue;
    if (mine(s)) {
      const start = rel(s.seq, myBase);
      const end = start + s.payloadLength;
      if (s.flags.rst) {
        steps.push({ at, k: 'reset' });
        continue;
      }
      if (s.payloadLength > 0 && start < sentEnd) captured.push({ at, seq: start });
      if (end > sentEnd) {
        steps.push({ at, k: 'write', len: end - sentEnd });
        sentEnd = end;
      }
      if (s.flags.fin && start + s.payloadLength >= sentEnd && !steps.some((x) => x.k === 'close')) steps.push({ at, k: 'close', rst: false });
      continue;
    }
    const o = s.options;
    steps.push({
      at,
      k: 'input',
      seg: {
        seq: rel(s.seq, peerBase),
        len: s.payloadLength,
        fin: s.flags.fin,
        rst: s.flags.rst,
        hasAck: s.flags.ack,
        ack: s.flags.ack ? rel(s.ack, myBase) : 0,
        sack: o?.sack === undefined ? undefined : o.sack.map((x) => rel(x, myBase)),
        tsval: o?.tsval ?? 0,
        tsecr: o?.tsecr === undefined || o.tsecr === 0 ? 0 : Math.max(1, o.tsecr - tsOffset),
        why: 'data',
        tx: 1,
      },
    });
  }

  const close = options.appClose;
  if (close !== undefined) {
    const captured = steps.findIndex((x) => x.k === 'close');
    if (captured < 0 || (steps[captured] as Step).at > close.at) {
      if (captured >= 0) steps.splice(captured, 1);
      // After everything captured at or before the close (the close is the application's own act).
      let i = 0;
      while (i < steps.length && (steps[i] as Step).at <= close.at) i++;
      steps.splice(i, 0, { at: close.at, k: 'close', rst: close.rst });
    }
  }
  const cfg = hostSocketConfig(kernel, { mss: options.mss, userTimeout: options.userTimeout, keepalive: options.keepalive, retries2: options.retries2 });
  const s = createSocket(cfg, 0);
  const out: SocketOut = { segments: [], events: [], notes: undefined };
  const model: KernelRetransmission[] = [];
  let abort: KernelReplay['abort'];
  let episodeStart: Nanos | undefined;
  let abortEpisodeStart: Nanos | undefined;
  let longestStall = 0;
  const end = conn.endedAt - t0;
  const drain = (now: Nanos): void => {
    for (const seg of out.segments) {
      if (seg.why === 'retransmit-rto' || seg.why === 'retransmit-tlp' || seg.why === 'retransmit-fast') {
        const how = seg.why === 'retransmit-rto' ? 'rto' : seg.why === 'retransmit-tlp' ? 'tlp' : 'fast';
        model.push({ at: now, seq: seg.seq, how });
        if (how === 'rto' && episodeStart === undefined) episodeStart = now;
      }
    }
    for (const e of out.events) {
      if (e.kind === 'data') socketRead(s, e.upTo, now, out);
      if (e.kind === 'abort' && abort === undefined) {
        abort = { at: now, why: e.why, afterCapture: now > end, orphan: s.orphan };
        abortEpisodeStart = episodeStart;
      }
    }
    out.segments.length = 0;
    out.events.length = 0;
    if (s.sndUna >= s.sndNxt && episodeStart !== undefined) {
      longestStall = Math.max(longestStall, now - episodeStart);
      episodeStart = undefined;
    }
  };
  const runTimers = (until: Nanos): void => {
    for (;;) {
      const t = socketNextTimer(s);
      if (t > until || abort !== undefined || s.state === 'CLOSE') return;
      socketFireTimer(s, t, out);
      drain(t);
    }
  };
  for (const st of steps) {
    runTimers(st.at);
    if (abort !== undefined || s.state === 'CLOSE') break;
    if (st.k === 'reset') break;
    if (st.k === 'write') socketWrite(s, st.len, st.at, out);
    else if (st.k === 'close') socketClose(s, st.rst, st.at, out);
    else socketInput(s, st.seg, st.at, out);
    drain(st.at);
  }
  runTimers(end + options.beyond);
  if (episodeStart !== undefined && abort === undefined) longestStall = Math.max(longestStall, Math.min(end, end + options.beyond) - episodeStart);
  return { side, kernelName: options.kernelName, userTimeout: options.userTimeout, captured, model, matched: matchCount(captured, model), abort, abortEpisodeStart, longestStall, unusable: undefined, grid };
}

/** Sum of each captured retransmission's distance to the nearest model one (ns). */
function matchError(captured: readonly KernelRetransmission[], model: readonly KernelRetransmission[]): number {
  let sum = 0;
  for (const c of captured) {
    let d = Number.POSITIVE_INFINITY;
    for (const m of model) d = Math.min(d, Math.abs(m.at - c.at));
    sum += Math.min(d, 10e9);
  }
  return sum;
}

/** One-to-one, in time order: each captured retransmission takes the first unused model one within MATCH_WINDOW. */
function matchCount(captured: readonly KernelRetransmission[], model: readonly KernelRetransmission[]): number {
  let j = 0;
  let n = 0;
  for (const c of captured) {
    while (j < model.length && (model[j] as KernelRetransmission).at < c.at - MATCH_WINDOW) j++;
    if (j < model.length && Math.abs((model[j] as KernelRetransmission).at - c.at) <= MATCH_WINDOW) {
      n++;
      j++;
    }
  }
  return n;
}
