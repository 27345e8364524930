/**
 * The PING payloads grpc-go sends, and the reverse: which kind a captured payload is.
 *
 * - keepalive: eight zero octets, from both the client's keepalive loop (http2_client.go
 *   keepalive, `ping{data: [8]byte{}}`) and the server's (http2_server.go keepalive, `ping{}`).
 *   Unchanged in every release from v1.20.0 to v1.83.0 (checked at v1.20, 1.25, 1.30, 1.40, 1.50,
 *   1.60, 1.62, 1.66, 1.70, 1.75, 1.80, 1.83), so it does not depend on the version.
 * - drain: `goAwayPing`, 01 06 01 08 00 03 03 09, the server's ping between the two GOAWAYs of a
 *   graceful drain (http2_server.go).
 * - bdp: `bdpPing`, 02 04 10 10 09 0e 07 07, the BDP estimator's ping (bdp_estimator.go).
 * - an ACK echoes the payload it acknowledges (handlePing copies the data), so it has the same kind.
 */
import { PING_PAYLOAD_BYTES, type PingPayloadKind } from '../frames/frame.js';

export const PING_KINDS = ['keepalive', 'drain', 'bdp', 'other'] as const satisfies readonly PingPayloadKind[];

/** The 8 octets for a kind; 'other' is ff x 8, a payload grpc-go itself never sends. */
export const pingPayload = (kind: PingPayloadKind): Uint8Array => Uint8Array.from(PING_PAYLOAD_BYTES[kind]);

/** keepalive, drain or bdp when the payload is exactly grpc-go's; 'other' for any other 8 octets. */
export const pingPayloadKind = (data: Uint8Array): PingPayloadKind => {
  for (const kind of ['keepalive', 'drain', 'bdp'] as const) {
    const want = PING_PAYLOAD_BYTES[kind];
    if (data.length === want.length && want.every((b, i) => data[i] === b)) return kind;
  }
  return 'other';
};
