import { describeFrame } from '../frames/frame.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * What the network did to each frame a peer read: the notes its sender's `sendFrame` action
 * carried (`fault #1: PING_ACK #1 held 6000ms`). A read is matched to its send by receiver, send
 * instant and frame; identical frames sent at one instant are matched in order.
 *
 * Returns the notes by the `seq` of the reading record; reads without notes are absent.
 */
export function readNotesBySeq(trace: readonly TraceRecord[]): ReadonlyMap<number, readonly string[]> {
  const pending = new Map<string, (readonly string[])[]>();
  const result = new Map<number, readonly string[]>();
  for (const r of trace) {
    if (r.event.type === 'frameRead' && r.sentAt !== undefined) {
      const queue = pending.get(key(r.actor, r.sentAt, describeFrame(r.event.frame)));
      const notes = queue?.shift();
      if (notes !== undefined && notes.length > 0) result.set(r.seq, notes);
    }
    for (const a of r.actions) {
      if (a.type !== 'sendFrame' || a.arrivesAt === undefined) continue;
      const k = key(r.actor === 'server' ? 'client' : 'server', r.at, describeFrame(a.frame));
      const queue = pending.get(k);
      if (queue === undefined) pending.set(k, [a.notes]);
      else queue.push(a.notes);
    }
  }
  return result;
}

function key(receiver: string, sentAt: number, frame: string): string {
  return `${receiver}|${sentAt}|${frame}`;
}
