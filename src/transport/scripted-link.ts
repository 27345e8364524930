import { frameCountKey, type Frame, type PingPayloadKind } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';

/**
 * One direction of the foundation's network: a fixed one-way delay plus scripted faults, with
 * in-order delivery (as over one TCP connection, a frame never overtakes the one before it).
 *
 * SIMPLIFICATION (replaced by the TCP model): no bandwidth, no loss, no retransmission. A
 * held-back frame holds back every frame sent after it, which is what TCP's in-order delivery does
 * to a retransmitted segment.
 */
export type Direction = 'clientToServer' | 'serverToClient';

export type DelayFrameRule = {
  /** Frame kind as counted in run summaries: PING, PING_ACK, DATA, HEADERS, SETTINGS_ACK, ... */
  readonly frame: string;
  /** Only PINGs (or their ACKs) with this payload; `undefined`: any PING. */
  readonly ping?: PingPayloadKind | undefined;
  /** 1-based: the nth matching frame sent in this direction. */
  readonly nth: number;
  readonly by: Nanos;
  readonly label: string;
};

/** An outage of a direction: `downUntil(t)` is when it ends if `t` falls inside it, else `undefined`. */
export type Outage = { readonly downUntil: (t: Nanos) => Nanos | undefined; readonly label: string };

export type LinkConfig = {
  readonly delay: Nanos;
  readonly delayFrames: readonly DelayFrameRule[];
  readonly blackholes: readonly Outage[];
};

export type LinkState = {
  readonly cfg: LinkConfig;
  /** Matching frames seen so far by each delayFrame rule (same index), for `nth`. */
  readonly matched: number[];
  /** Arrival time of the last frame, for in-order delivery. */
  lastArrival: Nanos;
};

export type Departure = { readonly arrivesAt: Nanos; readonly notes: readonly string[] };

export function createLink(cfg: LinkConfig): LinkState {
  return { cfg, matched: cfg.delayFrames.map(() => 0), lastArrival: 0 };
}

/** A frame leaves at `now`: when does it arrive, and which faults touched it? */
export function departFrame(link: LinkState, frame: Frame, now: Nanos): Departure {
  const key = frameCountKey(frame);
  const hits: string[] = [];
  let extra = 0;
  link.cfg.delayFrames.forEach((rule, i) => {
    if (rule.frame !== key) return;
    if (rule.ping !== undefined && (frame.type !== 'PING' || frame.payload !== rule.ping)) return;
    const n = (link.matched[i] ?? 0) + 1;
    link.matched[i] = n;
    if (n === rule.nth) {
      extra += rule.by;
      hits.push(rule.label);
    }
  });
  return depart(link, now, extra, hits);
}

/** A FIN or RST leaves at `now`: it queues behind data like any segment. */
export function departSignal(link: LinkState, now: Nanos): Departure {
  return depart(link, now, 0, []);
}

function depart(link: LinkState, now: Nanos, extra: Nanos, hits: readonly string[]): Departure {
  const notes = [...hits];
  let arrivesAt = now + link.cfg.delay + extra;
  for (const hole of link.cfg.blackholes) {
    const until = hole.downUntil(now);
    if (until !== undefined) {
      // Held while the direction is down; delivered once it comes back.
      const released = until + link.cfg.delay;
      if (released > arrivesAt) arrivesAt = released;
      notes.push(hole.label);
    }
  }
  if (arrivesAt < link.lastArrival) {
    arrivesAt = link.lastArrival;
    notes.push('in order: waits for the frame before it');
  }
  link.lastArrival = arrivesAt;
  return { arrivesAt, notes };
}
