import type { GrpcGoVersion } from '../keepalive/versions.js';

/**
 * What an RPC on a client transport sees when the transport closes under it (http2Client.Close
 * notifying its active streams, then the stream's RecvMsg through toRPCErr), read in
 * grpc/grpc-go internal/transport/http2_client.go and rpc_util.go at v1.33.3, v1.37.0, v1.38.0,
 * v1.39.0, v1.40.0, v1.60.1 and v1.83.1, and checked against real v1.33.3 and v1.60.1 clients
 * (docs/validation.md):
 *
 * - Before v1.38.0 Close takes no error: every active stream is closed with ErrConnClosing, so
 *   the RPC reads `code = Unavailable desc = transport is closing` whatever happened (EOF, reset,
 *   timeout, keepalive), as a real 1.33.3 client did in every real-kernel case.
 * - No GOAWAY read first: the close error is a ConnectionError, which toRPCErr turns into
 *   `code = Unavailable` with the error's own text (`error reading from server: EOF`).
 * - A GOAWAY read first (v1.38.0+, grpc-go #4316): Close wraps the error as "closing transport due
 *   to: <error>, received prior goaway: <reason>", where <error> prints as a ConnectionError
 *   (`connection error: desc = "<text>"`) and <reason> is set from the first GOAWAY only.
 *   - v1.38.x wraps it in a plain error, so toRPCErr reports `code = Unknown`; v1.39.0 (#4561)
 *     made it a status with `code = Unavailable`.
 *   - The reason is `code: <CODE>, debug data: <data>` up to v1.39.x; since v1.40.0 (#4587) it is
 *     `code: <CODE>` with no debug data, else `code: <CODE>, debug data: "<data>"` (Go's %q).
 *
 * SIMPLIFICATION: Go's %q is rendered with JSON string quoting, the same for printable ASCII
 * (all debug data and reasons kpsim produces).
 */
export function goAwayReasonText(v: GrpcGoVersion, code: string, debugData: string): string {
  if (v.minor < 40) return `code: ${code}, debug data: ${debugData}`;
  return debugData === '' ? `code: ${code}` : `code: ${code}, debug data: ${JSON.stringify(debugData)}`;
}

/** The error an active RPC gets when the transport closes with `reason` (see above). */
export function clientStreamCloseError(v: GrpcGoVersion, reason: string, priorGoAway: string | undefined): string {
  if (v.minor < 38) return 'rpc error: code = Unavailable desc = transport is closing';
  if (priorGoAway === undefined) return `rpc error: code = Unavailable desc = ${reason}`;
  const code = v.minor < 39 ? 'Unknown' : 'Unavailable';
  return `rpc error: code = ${code} desc = closing transport due to: connection error: desc = ${JSON.stringify(reason)}, received prior goaway: ${priorGoAway}`;
}
