import type { Frame } from '../frames/frame.js';
import type { Actor, ConnAction, ConnEvent } from '../conn/types.js';
import type { Nanos } from '../time/units.js';
import type { ClampWarning } from '../keepalive/params.js';
import type { NetNoteKind } from './network.js';

/** What happened at one step, beyond a connection machine's own events. */
export type WorldEvent =
  | ConnEvent
  | { readonly type: 'transportCreated' }
  | { readonly type: 'crashed' }
  | { readonly type: 'signalArrived'; readonly signal: 'FIN' | 'RST'; readonly from?: 'peer' | 'middlebox' }
  /** Something the network or the kernel did: a retransmission, a loss, an abort. */
  | { readonly type: 'network'; readonly what: NetNoteKind; readonly text: string }
  /** grpc-go's options raised keepalive Time to its floor, with a warning in its log (at the start). */
  | ({ readonly type: 'keepaliveClamped' } & ClampWarning);

/** An action as recorded: a sent frame carries when it will arrive and which faults touched it. */
export type TraceAction =
  | Exclude<ConnAction, { type: 'sendFrame' | 'close' }>
  | {
      readonly type: 'sendFrame';
      readonly frame: Frame;
      readonly arrivesAt: Nanos | undefined;
      readonly notes: readonly string[];
      /** The frame's octets as hex (RFC 9113 encoding), when the run had a packet observer (`--trace-bytes`). */
      readonly octets?: string;
    }
  | { readonly type: 'close'; readonly cause: string; readonly reason: string; readonly socket: 'FIN' | 'RST' | 'linger' }
  | { readonly type: 'sendSignal'; readonly signal: 'FIN' | 'RST'; readonly arrivesAt: Nanos | undefined; readonly notes: readonly string[] };

export type StateValue = string | number | boolean | null;

export type TraceRecord = {
  readonly seq: number;
  readonly at: Nanos;
  readonly actor: Actor;
  readonly event: WorldEvent;
  /** When the frame of a `frameRead` was sent and arrived (it may have waited in the receive buffer). */
  readonly sentAt?: Nanos;
  readonly arrivedAt?: Nanos;
  readonly actions: readonly TraceAction[];
  /** State variables that changed in this step: name -> [before, after]. */
  readonly changes: Readonly<Record<string, readonly [StateValue, StateValue]>>;
  /** Full watched state after the step (only on the first record of each actor). */
  readonly state?: Readonly<Record<string, StateValue>>;
};

export function diffWatch(
  before: Readonly<Record<string, StateValue>>,
  after: Readonly<Record<string, StateValue>>,
): Record<string, readonly [StateValue, StateValue]> {
  const changes: Record<string, readonly [StateValue, StateValue]> = {};
  for (const key of Object.keys(after)) {
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (a !== b) changes[key] = [a, b];
  }
  return changes;
}
