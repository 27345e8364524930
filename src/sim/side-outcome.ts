import type { CloseCause } from '../conn/types.js';
import type { Nanos } from '../time/units.js';
import type { KernelAbort } from './network.js';
import type { SideOutcome } from './outcome.js';

type PeerView = {
  readonly actor: 'server' | 'client';
  readonly crashed: boolean;
  readonly socketClosed: boolean;
  readonly socketSaw: 'nothing' | 'FIN' | 'RST';
  readonly socketSent: 'FIN' | 'RST' | undefined;
  readonly kernelAbort: KernelAbort | undefined;
  readonly closedAt: Nanos | undefined;
  readonly close: { readonly cause: string; readonly reason: string } | undefined;
  readonly failedStreams: readonly { readonly streamId: number; readonly error: string }[];
};

/** Derives what one side's application sees from its transport's close and its socket's state. */
export function sideOutcome(p: PeerView): SideOutcome {
  // A transport that closed is closed for its application, even while its socket still lingers
  // (v1.62+ after a final GOAWAY) when the run ends: the socket fields tell that part.
  const state = p.crashed ? 'crashed' : p.socketClosed || p.close !== undefined ? 'closed' : 'open';
  return {
    state,
    closedAt: p.closedAt,
    cause: p.close?.cause as CloseCause | undefined,
    error: p.close?.reason,
    socketSaw: p.socketSaw,
    socketSent: p.socketSent,
    kernelAbort: p.kernelAbort,
    failedStreams: p.failedStreams,
    appSees: appView(p, state),
  };
}

function appView(p: PeerView, state: SideOutcome['state']): string {
  if (state === 'crashed') return 'nothing: the process crashed silently';
  if (state === 'open') return 'nothing: the connection is still open';
  const reset = p.socketSaw === 'RST' ? '; the transport error reads "connection reset by peer"' : '';
  if (p.failedStreams.length === 0) return `the transport closed (${p.close?.reason ?? 'closed'}) with no RPC in flight${reset}`;
  if (p.actor === 'server') {
    return `${p.failedStreams.length} stream(s) ended: the handler's stream context is done with "context canceled"`;
  }
  const first = p.failedStreams[0];
  return `${p.failedStreams.length} stream(s) failed (${first?.error ?? ''}); the next Send on a failed stream returns EOF${reset}`;
}
