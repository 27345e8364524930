import { MINUTE, SECOND, type Nanos } from '../time/units.js';

/**
 * grpc-go versions and the keepalive behaviours that changed between them. Every boundary below was
 * read in grpc/grpc-go at the named tag (see docs/model.md, "Versions"); a version is modelled by
 * the first boundary at or below it.
 */
export type GrpcGoVersion = { readonly minor: number; readonly patch: number; readonly text: string };

export const DEFAULT_GRPC_GO_VERSION = '1.83.1';
/** Oldest release whose keepalive code was read for this model. */
export const OLDEST_MODELLED_MINOR = 20;

export class VersionError extends Error {
  override readonly name = 'VersionError';
}

export function parseGrpcGoVersion(text: string): GrpcGoVersion {
  const m = /^v?1\.(\d+)\.(\d+)$/.exec(text.trim());
  if (m === null) throw new VersionError(`"${text}" is not a grpc-go release (expected e.g. "1.60.0")`);
  const minor = Number(m[1]);
  const patch = Number(m[2]);
  if (minor < OLDEST_MODELLED_MINOR) {
    throw new VersionError(`grpc-go ${text} is older than the oldest modelled release 1.${OLDEST_MODELLED_MINOR}.0`);
  }
  return { minor, patch, text: `1.${minor}.${patch}` };
}

/**
 * The loop shapes of `keepalive()`:
 * - `activity-flag`: the reader sets an `activity` flag; the timer re-arms every `Time`, sends one
 *   PING, re-arms for `Timeout`, and closes if no activity was seen by then (server before 1.26.0,
 *   client before 1.25.0).
 * - `last-read`: the reader stamps `lastRead`; the timer is re-armed from `lastRead`, and
 *   `outstandingPing`/`kpTimeoutLeft` count the timeout down in steps of `min(Time, left)`.
 */
export type KeepaliveLoop = 'activity-flag' | 'last-read';

export type GrpcGoFeatures = {
  readonly version: GrpcGoVersion;
  /** Server loop; `last-read` since v1.26.0 (grpc-go #3172). */
  readonly serverLoop: KeepaliveLoop;
  /** Client loop; `last-read` since v1.25.0 (grpc-go #3102). */
  readonly clientLoop: KeepaliveLoop;
  /** The server sets TCP_USER_TIMEOUT = Timeout on accepted sockets since v1.46.0. */
  readonly serverSetsTcpUserTimeout: boolean;
  /** The client sets TCP_USER_TIMEOUT = Timeout when keepalive is on (all modelled versions). */
  readonly clientSetsTcpUserTimeout: boolean;
  /**
   * TCP keepalive on sockets the client dials itself (no custom dialer): `go` before v1.60.0 (a
   * plain net.Dialer: Go's 15 s idle and interval), `os` since (grpc-go #6672, #6834:
   * internal.NetDialerWithTCPKeepalive turns SO_KEEPALIVE on and leaves idle, interval and count
   * to the system). The server never dials: its sockets come from the user's listener.
   */
  readonly clientDialerTcpKeepalive: 'go' | 'os';
  /** Drain GOAWAYs carry debug data `max_idle` / `max_age` since v1.56.0 (empty before). */
  readonly drainDebugData: boolean;
  /** How long the server waits for the drain PING's ACK before the second GOAWAY: 1 min before v1.62.0, 5 s since. */
  readonly drainAckWait: Nanos;
  /**
   * After the writer stops on a GOAWAY that ends the connection (too_many_pings, end of a drain),
   * the socket is closed only when the reader is done or after this long: 1 s since v1.62.0
   * (grpc-go #6977); at once before.
   */
  readonly socketLingerAfterGoAway: Nanos | undefined;
  /** Close texts: what upstream logs or returns as the close error for each cause. */
  readonly text: CloseTexts;
};

export type CloseTexts = {
  readonly serverKeepalive: (timeout: Nanos, fmt: (d: Nanos) => string) => string;
  readonly clientKeepalive: string;
  readonly serverMaxAge: string;
  readonly serverTooManyPings: string;
  readonly serverDrainedNoStreams: string;
  readonly serverDrainedStreamsDone: string;
};

export function featuresOf(v: GrpcGoVersion): GrpcGoFeatures {
  const at = (minor: number): boolean => v.minor >= minor;
  return {
    version: v,
    serverLoop: at(26) ? 'last-read' : 'activity-flag',
    clientLoop: at(25) ? 'last-read' : 'activity-flag',
    serverSetsTcpUserTimeout: at(46),
    clientSetsTcpUserTimeout: true,
    clientDialerTcpKeepalive: at(60) ? 'os' : 'go',
    drainDebugData: at(56),
    drainAckWait: at(62) ? 5 * SECOND : MINUTE,
    socketLingerAfterGoAway: at(62) ? SECOND : undefined,
    text: {
      // v1.52.0 (#5840) turned the keepalive log line into the transport's close error.
      serverKeepalive: at(52)
        ? (timeout, fmt) => `keepalive ping not acked within timeout ${fmt(timeout)}`
        : () => 'transport: closing server transport due to idleness.',
      clientKeepalive: at(38)
        ? 'keepalive ping failed to receive ACK within timeout'
        : at(25)
          ? 'transport: http2Client.Close() called by keepalive (no log line in this version)'
          : 'transport: closing client transport due to idleness.',
      serverMaxAge: at(55)
        ? 'Closing server transport due to maximum connection age'
        : 'transport: closing server transport due to maximum connection age.',
      serverTooManyPings: at(52) ? 'got too many pings from the client' : 'transport: Connection closing',
      serverDrainedNoStreams: at(52) ? 'second GOAWAY written and no active streams left to process' : 'transport: Connection closing',
      serverDrainedStreamsDone: at(52) ? 'finished processing active streams while in draining mode' : 'transport is closing',
    },
  };
}
