import type { RunResult } from '../sim/world.js';

/**
 * A kill: the connection was closed by keepalive or by the kernel on one side while both peers
 * were alive. Graceful closes (GOAWAY, max age, idle) and reactions to the peer's own close are
 * not kills.
 */
export function isKill(r: RunResult): boolean {
  const o = r.outcome;
  return o.closed && (o.cause === 'keepalive' || o.cause === 'tcp_abort') && o.server.state !== 'crashed' && o.client.state !== 'crashed';
}
