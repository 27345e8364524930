import type { RunResult } from '../../sim/world.js';

/**
 * A run "kills" when the server closes a live connection: `outcome.closed`, the first close is
 * the server's (`closedBy === 'server'`), and its cause is grpc-go's keepalive (`keepalive`) or
 * the server's kernel aborting the socket (`tcp_abort`: TCP_USER_TIMEOUT, tcp_retries2 or TCP
 * keepalive). The faults `break` adds never crash a peer, so both are alive; a graceful close
 * (GOAWAY, max age, idle), a close by the client, or the client's kernel giving up first is not a
 * kill.
 */
export function isServerKill(r: RunResult): boolean {
  const o = r.outcome;
  return o.closed && o.closedBy === 'server' && (o.cause === 'keepalive' || o.cause === 'tcp_abort');
}
