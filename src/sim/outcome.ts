import type { Actor, CloseCause } from '../conn/types.js';
import type { Nanos } from '../time/units.js';
import type { KernelAbort } from './network.js';

/** What one side ended with, derived from its transport and socket, not from a table of strings. */
export type SideOutcome = {
  /** `open`: never closed in the run; `closed`: its transport closed; `crashed`: the process died silently. */
  readonly state: 'open' | 'closed' | 'crashed';
  readonly closedAt: Nanos | undefined;
  readonly cause: CloseCause | undefined;
  /** The transport's close error, in upstream's words. */
  readonly error: string | undefined;
  /** What its socket saw from the peer: a FIN (EOF on read), an RST (connection reset by peer), or nothing. */
  readonly socketSaw: 'nothing' | 'FIN' | 'RST';
  /** The kernel aborted the socket (ETIMEDOUT), and why; `undefined` otherwise. */
  readonly kernelAbort: KernelAbort | undefined;
  /** What its socket sent when it closed. */
  readonly socketSent: 'FIN' | 'RST' | undefined;
  /** Streams that failed, with the error the application sees. */
  readonly failedStreams: readonly { readonly streamId: number; readonly error: string }[];
  /** The application's view in plain words. */
  readonly appSees: string;
};

export type Outcome = {
  readonly closed: boolean;
  readonly closedAt: Nanos | undefined;
  readonly closedBy: Actor | undefined;
  readonly cause: CloseCause | undefined;
  readonly reason: string | undefined;
  readonly server: SideOutcome;
  readonly client: SideOutcome;
  /** Keepalive Time the client's next connection would use (set after GOAWAY too_many_pings). */
  readonly nextClientKeepaliveTime: Nanos | undefined;
  readonly framesSent: Readonly<Record<Actor, Readonly<Record<string, number>>>>;
  readonly framesRead: Readonly<Record<Actor, Readonly<Record<string, number>>>>;
  /** TCP counters per sending side: retransmissions, packets lost, blackholed, dropped by a NAT. */
  readonly tcp: Readonly<Record<Actor, Readonly<Record<string, number>>>>;
  readonly endedAt: Nanos;
  readonly events: number;
};
