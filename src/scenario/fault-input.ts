import { formatDuration } from '../time/duration.js';
import type { Fault } from './schema.js';

/** A parsed fault back in the form a scenario file has (durations as Go strings), for saving. */
export function faultToInput(f: Fault): Record<string, unknown> {
  const d = formatDuration;
  switch (f.type) {
    case 'delayFrame':
      return { type: f.type, direction: f.direction, frame: f.frame, ...(f.ping === undefined ? {} : { ping: f.ping }), nth: f.nth, by: d(f.by) };
    case 'loseFrame':
      return { type: f.type, direction: f.direction, frame: f.frame, ...(f.ping === undefined ? {} : { ping: f.ping }), nth: f.nth, times: f.times };
    case 'blackhole':
      return { type: f.type, direction: f.direction, from: d(f.from), until: d(f.until) };
    case 'partition':
      return { type: f.type, direction: f.direction, from: d(f.from), until: d(f.until) };
    case 'flap':
      return { type: f.type, direction: f.direction, from: d(f.from), ...(f.until === undefined ? {} : { until: d(f.until) }), every: d(f.every), down: d(f.down) };
    case 'crash':
      return { type: f.type, peer: f.peer, at: d(f.at) };
    case 'readerStall':
    case 'pause':
      return { type: f.type, peer: f.peer, from: d(f.from), until: d(f.until) };
    default:
      return f satisfies never;
  }
}
