import { frameCountKey, type Frame, type PingPayloadKind } from '../frames/frame.js';
import { formatDuration } from '../time/duration.js';
import type { Nanos } from '../time/units.js';
import type { Outage } from '../transport/scripted-link.js';
import type { PacketLoss } from './packet-record.js';

/**
 * One direction of the path between the two hosts, as rules that each give a packet a verdict,
 * the way turmoil's links do: the first rule that drops it decides; a packet that survives takes
 * the direction's delay, any scripted hold, and never overtakes the packet before it (one FIFO
 * per direction, as netem with a rate behaves).
 *
 * Order: NAT (a forgotten flow drops or resets everything), outages (blackhole, partition,
 * flap), scripted drops of a chosen frame's segments, random loss; then delay, holds, FIFO.
 */

/** A frame-matching rule: the nth frame of a kind (optionally a PING payload) in one direction. */
export type FrameMatch = { readonly frame: string; readonly ping?: PingPayloadKind | undefined; readonly nth: number; readonly label: string };

export type PathRulesConfig = {
  /** Hold the matched frame's bytes until `by` after they would have arrived. */
  readonly holds: readonly (FrameMatch & { readonly by: Nanos })[];
  /** Drop the first `times` transmissions of the segments carrying the matched frame. */
  readonly drops: readonly (FrameMatch & { readonly times: number })[];
  /** Packets leaving while one of these is down are lost. */
  readonly blackholes: readonly Outage[];
};

/** Byte ranges of this direction's stream picked out by a hold or a drop rule. */
type Marked = { readonly start: number; readonly end: number; readonly holdUntil?: Nanos; dropsLeft?: number; readonly label: string };

export type PathDirectionState = {
  readonly cfg: PathRulesConfig;
  readonly loss: { drop(): boolean };
  readonly delay: { sample(): Nanos };
  /** The direction's base one-way delay (holds count from it). */
  readonly delayBase: Nanos;
  /** Matches seen so far per hold/drop rule, for `nth`. */
  readonly holdSeen: number[];
  readonly dropSeen: number[];
  readonly marked: Marked[];
  lastArrival: Nanos;
  /** The direction's one delivery verdict, rewritten by each `traverse` (read it before the next). */
  readonly delivered: { readonly kind: 'deliver'; at: Nanos; held: boolean };
  /** Counts for the outcome's statistics. */
  readonly stats: Record<string, number>;
};

export function createPathDirection(cfg: PathRulesConfig, loss: { drop(): boolean }, delay: { sample(): Nanos }, delayBase: Nanos): PathDirectionState {
  return { cfg, loss, delay, delayBase, holdSeen: cfg.holds.map(() => 0), dropSeen: cfg.drops.map(() => 0), marked: [], lastArrival: 0, delivered: { kind: 'deliver', at: 0, held: false }, stats: {} };
}

/** A NAT or load balancer shared by both directions: it forgets a flow idle for `idleTimeout`. */
export type NatState = { readonly idleTimeout: Nanos; readonly action: 'drop' | 'reset'; lastSeen: Nanos; forgotten: boolean };

export type Verdict =
  | { readonly kind: 'deliver'; readonly at: Nanos; readonly held: boolean }
  | { readonly kind: 'drop'; readonly why: PacketLoss; readonly resetBack: boolean };

/** Drop verdicts are constants: traverse allocates nothing per packet. */
const DROPPED = {
  nat: { kind: 'drop', why: 'nat', resetBack: false },
  natReset: { kind: 'drop', why: 'nat', resetBack: true },
  blackhole: { kind: 'drop', why: 'blackhole', resetBack: false },
  scripted: { kind: 'drop', why: 'scripted', resetBack: false },
  loss: { kind: 'drop', why: 'loss', resetBack: false },
} as const satisfies Record<string, Verdict>;

function count(d: PathDirectionState, key: string): void {
  d.stats[key] = (d.stats[key] ?? 0) + 1;
}

/**
 * A frame of `len` bytes at stream offset `start` is written: hold and drop rules count it
 * (`nth`) and mark its bytes when it is the one they pick.
 */
export function markFrame(d: PathDirectionState, frame: Frame, start: number, len: number, now: Nanos): void {
  const matches = (m: FrameMatch): boolean => m.frame === frameCountKey(frame) && (m.ping === undefined || (frame.type === 'PING' && frame.payload === m.ping));
  d.cfg.holds.forEach((h, i) => {
    if (!matches(h)) return;
    d.holdSeen[i] = (d.holdSeen[i] ?? 0) + 1;
    if (d.holdSeen[i] === h.nth) d.marked.push({ start, end: start + len, holdUntil: now + d.delayBase + h.by, label: h.label });
  });
  d.cfg.drops.forEach((r, i) => {
    if (!matches(r)) return;
    d.dropSeen[i] = (d.dropSeen[i] ?? 0) + 1;
    if (d.dropSeen[i] === r.nth) d.marked.push({ start, end: start + len, dropsLeft: r.times, label: r.label });
  });
}

/**
 * The verdict for a packet leaving at `departAt` carrying stream bytes [start, end) (empty for
 * control packets). `notes` collects what happened when tracing. The verdict is shared: read it
 * before the direction's next traverse.
 */
export function traverse(d: PathDirectionState, nat: NatState | undefined, departAt: Nanos, start: number, end: number, notes: string[] | undefined): Verdict {
  if (nat !== undefined) {
    if (!nat.forgotten && departAt - nat.lastSeen > nat.idleTimeout) nat.forgotten = true;
    if (nat.forgotten) {
      count(d, 'natDropped');
      notes?.push(`NAT forgot the flow after ${formatDuration(nat.idleTimeout)} idle: ${nat.action === 'reset' ? 'answered with RST' : 'dropped'}`);
      return nat.action === 'reset' ? DROPPED.natReset : DROPPED.nat;
    }
    nat.lastSeen = departAt;
  }
  const blackholes = d.cfg.blackholes;
  for (let i = 0; i < blackholes.length; i++) {
    const b = blackholes[i] as Outage;
    if (b.downUntil(departAt) !== undefined) {
      count(d, 'blackholed');
      notes?.push(b.label);
      return DROPPED.blackhole;
    }
  }
  const marked = d.marked;
  if (start < end) {
    for (let i = 0; i < marked.length; i++) {
      const m = marked[i] as Marked;
      if (m.dropsLeft !== undefined && m.dropsLeft > 0 && start < m.end && m.start < end) {
        m.dropsLeft--;
        count(d, 'scriptedLoss');
        notes?.push(`${m.label}: lost`);
        return DROPPED.scripted;
      }
    }
  }
  if (d.loss.drop()) {
    count(d, 'lost');
    notes?.push('lost');
    return DROPPED.loss;
  }
  let arrives = departAt + d.delay.sample();
  let held = false;
  if (start < end) {
    for (let i = 0; i < marked.length; i++) {
      const m = marked[i] as Marked;
      if (m.holdUntil !== undefined && start < m.end && m.start < end && m.holdUntil > arrives) {
        arrives = m.holdUntil;
        held = true;
        notes?.push(m.label);
      }
    }
  }
  if (arrives < d.lastArrival) arrives = d.lastArrival;
  d.lastArrival = arrives;
  const v = d.delivered;
  v.at = arrives;
  v.held = held;
  return v;
}
