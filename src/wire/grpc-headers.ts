/**
 * gRPC's header lists as grpc-go builds them (PROTOCOL-HTTP2.md; grpc-go internal/transport
 * http2_client.go createHeaderFields, http2_server.go writeHeaderLocked / writeStatus), and the
 * percent-encoding of grpc-message and the grpc-timeout format (internal/grpcutil/encode_duration.go).
 */
import { headerValue, type HeaderList } from './header-list.js';

export const GRPC_CONTENT_TYPE = 'application/grpc';

/** The User-Agent grpc-go sends when the application sets none: `grpc-go/1.62.0`. */
export const grpcUserAgent = (version: string): string => `grpc-go/${version.replace(/^v/, '')}`;

const NANOS_PER_UNIT: readonly (readonly [number, string])[] = [
  [1, 'n'],
  [1e3, 'u'],
  [1e6, 'm'],
  [1e9, 'S'],
  [60e9, 'M'],
];
const MAX_TIMEOUT_VALUE = 99_999_999; // at most 8 digits

/**
 * grpc-timeout as grpc-go writes it: the finest unit (n, u, m, S, M, H) in which the timeout,
 * rounded up, fits in 8 digits; `0n` for zero or less.
 */
export const encodeGrpcTimeout = (nanos: number): string => {
  if (!Number.isFinite(nanos)) throw new RangeError(`timeout must be a finite number of nanoseconds, got ${nanos}`);
  if (nanos <= 0) return '0n';
  for (const [unit, suffix] of NANOS_PER_UNIT) {
    const value = Math.ceil(nanos / unit);
    if (value <= MAX_TIMEOUT_VALUE) return `${value}${suffix}`;
  }
  return `${Math.ceil(nanos / 3600e9)}H`;
};

const hex2 = (b: number): string => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * grpc-message percent-encoding: the message's UTF-8 octets, each printable ASCII octet (0x20-0x7E)
 * except `%` kept, every other octet written `%XX` in uppercase hex. Like grpc-go, text that is not
 * valid Unicode (a lone surrogate here, invalid UTF-8 in Go) is sent as U+FFFD, `%EF%BF%BD`.
 */
export const encodeGrpcMessage = (message: string): string => {
  let out = '';
  for (const b of new TextEncoder().encode(message)) out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : hex2(b);
  return out;
};

/** The inverse, as grpc-go decodes it: `%` + two hex digits is an octet, any other `%` stays; then UTF-8. */
export const decodeGrpcMessage = (value: string): string => {
  const octets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const pair = value.slice(i + 1, i + 3);
    if (value[i] === '%' && /^[0-9a-fA-F]{2}$/.test(pair)) {
      octets.push(parseInt(pair, 16));
      i += 2;
    } else {
      octets.push(value.charCodeAt(i) & 0xff);
    }
  }
  return new TextDecoder().decode(Uint8Array.from(octets));
};

export type GrpcRequestHeaderOptions = {
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly authority: string;
  readonly userAgent: string;
  /** The call's deadline as a timeout in nanoseconds; no grpc-timeout header when absent. */
  readonly timeout?: number;
  /** @default 'http' (grpc-go's scheme without TLS) */
  readonly scheme?: 'http' | 'https';
};

/**
 * A request's header list in grpc-go's order: :method, :scheme, :path, :authority, content-type,
 * user-agent, te, then grpc-timeout when the call has a deadline. SIMPLIFICATION: no
 * grpc-accept-encoding (grpc-go sends it only when a compressor is registered), no metadata.
 */
export const grpcRequestHeaders = (o: GrpcRequestHeaderOptions): HeaderList => [
  { name: ':method', value: 'POST' },
  { name: ':scheme', value: o.scheme ?? 'http' },
  { name: ':path', value: o.path },
  { name: ':authority', value: o.authority },
  { name: 'content-type', value: GRPC_CONTENT_TYPE },
  { name: 'user-agent', value: o.userAgent },
  { name: 'te', value: 'trailers' },
  ...(o.timeout === undefined ? [] : [{ name: 'grpc-timeout', value: encodeGrpcTimeout(o.timeout) }]),
];

/** The response headers grpc-go's server writes before the first message. */
export const grpcResponseHeaders = (): HeaderList => [
  { name: ':status', value: '200' },
  { name: 'content-type', value: GRPC_CONTENT_TYPE },
];

export type GrpcStatus = { readonly code: number; readonly message: string };

/**
 * Trailers: grpc-status and grpc-message (always present, empty for no message). With
 * `trailersOnly` (no response headers were sent) :status and content-type come first, as grpc-go
 * writes a Trailers-Only response.
 */
export const grpcTrailers = (status: GrpcStatus, trailersOnly = false): HeaderList => [
  ...(trailersOnly ? grpcResponseHeaders() : []),
  { name: 'grpc-status', value: String(status.code) },
  { name: 'grpc-message', value: encodeGrpcMessage(status.message) },
];

/**
 * Which gRPC header block a decoded list is: `request` when it has :method, `trailers` when it has
 * grpc-status (a Trailers-Only response counts as trailers), `response` when it has :status;
 * undefined otherwise.
 */
export const grpcHeadersKind = (list: HeaderList): 'request' | 'response' | 'trailers' | undefined => {
  if (headerValue(list, ':method') !== undefined) return 'request';
  if (headerValue(list, 'grpc-status') !== undefined) return 'trailers';
  if (headerValue(list, ':status') !== undefined) return 'response';
  return undefined;
};
