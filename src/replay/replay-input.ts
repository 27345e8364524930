import type { Actor } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';

/**
 * One connection as a capture saw it, reduced to what the keepalive models read: each HTTP/2
 * frame with the time its last byte was captured, the TCP FIN/RST, and where the capture ends.
 * Times are nanoseconds from the connection's first packet.
 */
export type ReplayInput = {
  readonly frames: readonly CapturedSimFrame[];
  readonly signals: readonly { readonly at: Nanos; readonly from: Actor; readonly signal: 'FIN' | 'RST' }[];
  /** The last packet of the connection in the capture: nothing is known after it. */
  readonly end: Nanos;
  /** Round trip measured in the capture (handshake or PING/ACK), when there is one. */
  readonly rtt: Nanos | undefined;
};

export type CapturedSimFrame = { readonly at: Nanos; readonly from: Actor; readonly frame: Frame };
