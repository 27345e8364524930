import type { RunResult } from '../sim/world.js';
import type { Nanos } from '../time/units.js';

/** The server's first keepalive PING in a run: when it was sent, and how long its ACK took to be read. */
export function firstKeepalivePing(r: RunResult): { sentAt: Nanos; roundTrip: Nanos } | undefined {
  let sentAt: Nanos | undefined;
  for (const t of r.trace) {
    if (t.actor !== 'server') continue;
    if (sentAt === undefined) {
      if (t.actions.some((a) => a.type === 'sendFrame' && a.frame.type === 'PING' && !a.frame.ack && a.frame.payload === 'keepalive')) sentAt = t.at;
    } else if (t.event.type === 'frameRead' && t.event.frame.type === 'PING' && t.event.frame.ack && t.event.frame.payload === 'keepalive') {
      return { sentAt, roundTrip: t.at - sentAt };
    }
  }
  return undefined;
}
