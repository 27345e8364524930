import { describeFrame } from '../frames/frame.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * What the network did to each frame a peer read: the notes its sender's `sendFrame` action
 * carried (`fault #1: PING_ACK #1 held 6000ms`). A read is matched to its send by receiver, send
 * instant and frame; identical frames sent at one instant are matched in order.
 *
 * Fed the records in order, it returns each one's read notes (`undefined`: none). It holds only
 * the sends not read yet.
 */
export function createReadNotes(): (r: TraceRecord) => readonly string[] | undefined {
  const pending = new Map<string, (readonly string[])[]>();
  return (r) => {
    let found: readonly string[] | undefined;
    if (r.event.type === 'frameRead' && r.sentAt !== undefined) {
      const k = key(r.actor, r.sentAt, describeFrame(r.event.frame));
      const queue = pending.get(k);
      const notes = queue?.shift();
      if (queue !== undefined && queue.length === 0) pending.delete(k);
      if (notes !== undefined && notes.length > 0) found = notes;
    }
    for (const a of r.actions) {
      if (a.type !== 'sendFrame' || a.arrivesAt === undefined) continue;
      const k = key(r.actor === 'server' ? 'client' : 'server', r.at, describeFrame(a.frame));
      const queue = pending.get(k);
      if (queue === undefined) pending.set(k, [a.notes]);
      else queue.push(a.notes);
    }
    return found;
  };
}

function key(receiver: string, sentAt: number, frame: string): string {
  return `${receiver}|${sentAt}|${frame}`;
}
