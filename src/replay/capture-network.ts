import type { Actor } from '../conn/types.js';
import { describeFrame, type Frame } from '../frames/frame.js';
import type { Delivery, NetNote, NetworkModel, SendReport } from '../sim/network.js';
import { formatDuration } from '../time/duration.js';
import { EventQueue } from '../time/event-queue.js';
import type { Nanos } from '../time/units.js';
import type { AckModel } from './ack-model.js';
import type { ReplayInput } from './replay-input.js';

type Item =
  | { readonly k: 'frame'; readonly frame: Frame; readonly modelled: boolean }
  | { readonly k: 'signal'; readonly signal: 'FIN' | 'RST' };

/**
 * A network whose far end is a capture. The modelled side reads what the real peer sent, at the
 * times the capture saw it; what the modelled side writes goes nowhere, except that a PING it sends
 * (keepalive or drain; not BDP, whose ACKs the capture already carries for the real side's BDP
 * PINGs) is answered as `AckModel` says. The real peer's FIN or RST reaches the modelled side when
 * the capture saw it.
 * The model's keepalive and drain PINGs replace the real side's: the real peer's ACKs of those are
 * not delivered as such (a model PING near a real one gets that ACK's timing instead).
 * SIMPLIFICATION: the capture is taken to be at the modelled side's host, so capture time is
 * arrival time; frames the modelled side writes do not change what the real peer did next.
 */
export function createCaptureNetwork(input: ReplayInput, modelled: Actor, acks: AckModel): NetworkModel {
  const peer: Actor = modelled === 'server' ? 'client' : 'server';
  const queue = new EventQueue<Item>();
  for (const f of input.frames) if (f.from === peer && !answersReplacedPing(f.frame)) queue.push(f.at, 0, { k: 'frame', frame: f.frame, modelled: false });
  for (const s of input.signals) if (s.from === peer) queue.push(s.at, 1, { k: 'signal', signal: s.signal });
  const stats = { framesFromCapture: 0, modelledAcks: 0, acksNeverSeen: 0 };
  let closed = false;
  const nothing: SendReport = { arrivesAt: undefined, notes: [] };

  return {
    sendFrame(from, frame, now): SendReport {
      if (from !== modelled || closed) return nothing;
      if (frame.type !== 'PING' || frame.ack || frame.payload === 'bdp') return nothing;
      const a = acks.answer(frame.payload, now);
      if (a.roundTrip === undefined) {
        stats.acksNeverSeen++;
        return { arrivesAt: undefined, notes: [`the capture's own PING at ${formatDuration(a.kind === 'borrowed' ? a.realPingAt : now)} was never acknowledged: no ACK`] };
      }
      const at = now + a.roundTrip;
      queue.push(at, 0, { k: 'frame', frame: { type: 'PING', ack: true, payload: frame.payload }, modelled: true });
      stats.modelledAcks++;
      const why =
        a.kind === 'borrowed'
          ? `ACK borrowed from the capture's PING at ${formatDuration(a.realPingAt)}: round trip ${formatDuration(a.roundTrip)}`
          : `no PING in the capture near this one: ACK assumed after the capture's round trip ${formatDuration(a.roundTrip)}`;
      return { arrivesAt: at, notes: [why] };
    },
    closeSocket(from): SendReport {
      if (from === modelled) closed = true;
      return from === modelled ? { arrivesAt: undefined, notes: ['the real peer never saw this close: the capture goes on as recorded'] } : nothing;
    },
    crash(): void {},
    nextEvent() {
      const at = queue.peek()?.at;
      return at === undefined ? undefined : { at, kind: 'arrival' };
    },
    step(_now, notes: NetNote[]): Delivery[] {
      const item = queue.pop()?.item;
      if (item === undefined) return [];
      if (item.k === 'signal') return [item.signal === 'FIN' ? { kind: 'fin', to: modelled } : { kind: 'rst', to: modelled, from: 'peer' }];
      if (!item.modelled) stats.framesFromCapture++;
      else notes.push({ actor: modelled, what: 'modelledFrame', text: `modelled ${describeFrame(item.frame)} arrives (not in the capture)` });
      return [{ kind: 'frame', to: modelled, frame: item.frame, sentAt: _now }];
    },
    stats: () => ({ [modelled]: { ...stats }, [peer]: {} }) as Record<Actor, Record<string, number>>,
  };
}

/** An ACK of a keepalive or drain PING: answers a PING of the real side that the model's own PINGs replace. */
function answersReplacedPing(f: Frame): boolean {
  return f.type === 'PING' && f.ack && (f.payload === 'keepalive' || f.payload === 'drain');
}
