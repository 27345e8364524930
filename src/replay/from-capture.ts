import type { Http2Connection } from '../capture/capture.js';
import type { Actor } from '../conn/types.js';
import { encodeFrame } from '../wire/frame-encode.js';
import { createWireReader, type WireReader } from '../wire/wire-reader.js';
import type { Nanos } from '../time/units.js';
import type { CapturedSimFrame, ReplayInput } from './replay-input.js';

/** A captured frame the models cannot read (PRIORITY, unknown types, non-gRPC headers, ...). */
export type SkippedFrame = { readonly at: Nanos; readonly from: Actor; readonly type: string; readonly reason: string };

export type ConnectionReplay = {
  readonly input: ReplayInput;
  readonly skipped: readonly SkippedFrame[];
  /** Why decoding stopped early in a direction (a frame error or an HPACK error), if it did. */
  readonly stopped: readonly { readonly from: Actor; readonly at: Nanos; readonly reason: string }[];
};

/**
 * Turns one HTTP/2 connection of a capture into replay input: times measured from the
 * connection's first packet, header blocks decoded with each direction's own HPACK table (so a
 * request's kind is read from its pseudo-headers, not guessed), FIN/RST from the TCP layer, and a
 * round trip measured from the capture: the median of the PING and SETTINGS round trips that
 * `measuredFor` started and the other side acknowledged.
 */
export function replayInputFromConnection(conn: Http2Connection, measuredFor: Actor): ConnectionReplay {
  const t0 = conn.startedAt;
  const readers: Record<Actor, WireReader> = { client: createWireReader('client', { preface: false }), server: createWireReader('server', { preface: false }) };
  const failed: Record<Actor, boolean> = { client: false, server: false };
  const frames: CapturedSimFrame[] = [];
  const skipped: SkippedFrame[] = [];
  const stopped: ConnectionReplay['stopped'][number][] = [];
  for (const c of conn.frames) {
    if (failed[c.from]) continue;
    const at = c.at - t0;
    let items;
    try {
      items = readers[c.from].push(encodeFrame(c.frame));
    } catch (e) {
      failed[c.from] = true;
      stopped.push({ from: c.from, at, reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    for (const it of items) {
      if (it.sim.type === 'frame') frames.push({ at, from: c.from, frame: it.sim.frame });
      else if (it.sim.type === 'unmapped') skipped.push({ at, from: c.from, type: it.frame.type, reason: it.sim.reason });
    }
  }
  for (const e of conn.errors) stopped.push({ from: e.from, at: e.at - t0, reason: `${e.rule}: ${e.error.message}` });
  const signals: ReplayInput['signals'][number][] = [];
  for (const side of ['client', 'server'] as const) {
    const d = conn.directions[side];
    if (d.fin !== undefined) signals.push({ at: d.fin - t0, from: side, signal: 'FIN' });
    if (d.rst !== undefined) signals.push({ at: d.rst - t0, from: side, signal: 'RST' });
  }
  signals.sort((a, b) => a.at - b.at);
  return { input: { frames, signals, end: conn.endedAt - t0, rtt: measuredRoundTrip(frames, measuredFor) }, skipped, stopped };
}

/** Median round trip of PINGs and SETTINGS that `side` sent and the peer acknowledged. */
export function measuredRoundTrip(frames: readonly CapturedSimFrame[], side: Actor): Nanos | undefined {
  const samples: Nanos[] = [];
  const openPings: { at: Nanos; payload: string }[] = [];
  const openSettings: Nanos[] = [];
  for (const f of frames) {
    const fr = f.frame;
    if (fr.type === 'PING') {
      if (f.from === side && !fr.ack) openPings.push({ at: f.at, payload: fr.payload });
      if (f.from !== side && fr.ack) {
        const i = openPings.findIndex((p) => p.payload === fr.payload);
        if (i >= 0) samples.push(f.at - (openPings.splice(i, 1)[0] as { at: Nanos }).at);
      }
    }
    if (fr.type === 'SETTINGS') {
      if (f.from === side && !fr.ack) openSettings.push(f.at);
      if (f.from !== side && fr.ack && openSettings.length > 0) samples.push(f.at - (openSettings.shift() as Nanos));
    }
  }
  if (samples.length === 0) return undefined;
  samples.sort((a, b) => a - b);
  return samples[Math.floor((samples.length - 1) / 2)];
}
