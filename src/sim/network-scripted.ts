import type { Actor } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import { EventQueue } from '../time/event-queue.js';
import type { Nanos } from '../time/units.js';
import { createLink, departFrame, departSignal, type LinkConfig, type LinkState } from '../transport/scripted-link.js';
import type { Delivery, NetNote, NetworkModel, SendReport } from './network.js';

type Item =
  | { readonly k: 'frame'; readonly to: Actor; readonly frame: Frame; readonly sentAt: Nanos }
  | { readonly k: 'signal'; readonly to: Actor; readonly signal: 'FIN' | 'RST' };

/**
 * The foundation's network: a fixed delay and scripted faults per direction, in-order delivery,
 * nothing lost (see transport/scripted-link.ts). Kept as `network.model: "scripted"` for
 * comparison and for the benchmark against the TCP model.
 */
export function createScriptedNetwork(links: Readonly<Record<Actor, LinkConfig>>): NetworkModel {
  const out: Record<Actor, LinkState> = { client: createLink(links.client), server: createLink(links.server) };
  const queue = new EventQueue<Item>();
  const closed: Record<Actor, boolean> = { client: false, server: false };
  const crashed: Record<Actor, boolean> = { client: false, server: false };
  const rstAnswered: Record<Actor, boolean> = { client: false, server: false };
  const other = (a: Actor): Actor => (a === 'server' ? 'client' : 'server');

  return {
    sendFrame(from, frame, now): SendReport {
      if (closed[from] || crashed[from]) return { arrivesAt: undefined, notes: ['socket closed: not sent'] };
      const dep = departFrame(out[from], frame, now);
      const to = other(from);
      if (crashed[to]) return { arrivesAt: undefined, notes: [...dep.notes, 'peer has crashed: never arrives'] };
      queue.push(dep.arrivesAt, 0, { k: 'frame', to, frame, sentAt: now });
      return { arrivesAt: dep.arrivesAt, notes: dep.notes };
    },
    closeSocket(from, signal, now): SendReport {
      closed[from] = true;
      const to = other(from);
      const dep = departSignal(out[from], now);
      if (crashed[to]) return { arrivesAt: undefined, notes: ['peer has crashed'] };
      queue.push(dep.arrivesAt, 0, { k: 'signal', to, signal });
      return { arrivesAt: dep.arrivesAt, notes: [] };
    },
    crash(actor): void {
      crashed[actor] = true;
      queue.removeWhere((q) => q.to !== actor);
    },
    nextEvent() {
      const at = queue.topAt();
      return at === Number.POSITIVE_INFINITY ? undefined : { at, kind: 'arrival' };
    },
    step(now, notes: NetNote[]): Delivery[] {
      const item = queue.popItem();
      if (item === undefined || crashed[item.to]) return [];
      if (item.k === 'signal') {
        if (closed[item.to]) return [];
        return [item.signal === 'FIN' ? { kind: 'fin', to: item.to } : { kind: 'rst', to: item.to, from: 'peer' }];
      }
      if (closed[item.to]) {
        // Data for a closed socket: the kernel answers with RST (once).
        const from = other(item.to);
        if (!rstAnswered[item.to] && !closed[from]) {
          rstAnswered[item.to] = true;
          const dep = departSignal(out[item.to], now);
          queue.push(dep.arrivesAt, 0, { k: 'signal', to: from, signal: 'RST' });
          notes.push({ actor: item.to, what: 'afterClose', text: `data arrived after close: RST sent, arrives ${dep.arrivesAt / 1e9}s` });
        }
        return [];
      }
      return [{ kind: 'frame', to: item.to, frame: item.frame, sentAt: item.sentAt }];
    },
    stats: () => ({ client: {}, server: {} }),
  };
}
