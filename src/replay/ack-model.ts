import type { Actor } from '../conn/types.js';
import type { Nanos } from '../time/units.js';
import type { CapturedSimFrame } from './replay-input.js';

/**
 * When would the ACK of a PING the model sends have come back? The capture only holds the real
 * side's PINGs, so the answer is borrowed from it:
 * - a real PING of the same kind sent within `matchWindow` of the model's, not yet borrowed: its
 *   observed round trip (capture time of the ACK minus capture time of the PING) carries over,
 *   so a late ACK in the capture is a late ACK in the model; no ACK in the capture, no ACK;
 * - otherwise `fallbackRtt` after the PING (the round trip measured elsewhere in the capture).
 * SIMPLIFICATION: a model PING that the real side never sent meets the network the capture shows
 * on average (`fallbackRtt`), not the network at that instant; the replay says so in its notes.
 */
export type AckAnswer =
  | { readonly kind: 'borrowed'; readonly realPingAt: Nanos; readonly roundTrip: Nanos | undefined }
  | { readonly kind: 'assumed'; readonly roundTrip: Nanos };

export type AckModel = { answer(payload: string, sentAt: Nanos): AckAnswer };

export function createAckModel(frames: readonly CapturedSimFrame[], modelled: Actor, matchWindow: Nanos, fallbackRtt: Nanos): AckModel {
  const peer: Actor = modelled === 'server' ? 'client' : 'server';
  // The real side's PINGs, each with the capture time of its ACK (the first matching ACK after it).
  const real: { at: Nanos; payload: string; ackAt: Nanos | undefined; used: boolean }[] = [];
  for (const f of frames) {
    if (f.frame.type !== 'PING') continue;
    if (f.from === modelled && !f.frame.ack) real.push({ at: f.at, payload: f.frame.payload, ackAt: undefined, used: false });
    if (f.from === peer && f.frame.ack) {
      const payload = f.frame.payload;
      const open = real.find((p) => p.payload === payload && p.ackAt === undefined && p.at <= f.at);
      if (open !== undefined) open.ackAt = f.at;
    }
  }
  return {
    answer(payload, sentAt) {
      let best: (typeof real)[number] | undefined;
      for (const p of real) {
        if (p.used || p.payload !== payload || Math.abs(p.at - sentAt) > matchWindow) continue;
        if (best === undefined || Math.abs(p.at - sentAt) < Math.abs(best.at - sentAt)) best = p;
      }
      if (best === undefined) return { kind: 'assumed', roundTrip: fallbackRtt };
      best.used = true;
      return { kind: 'borrowed', realPingAt: best.at, roundTrip: best.ackAt === undefined ? undefined : best.ackAt - best.at };
    },
  };
}
