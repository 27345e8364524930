/** gRPC's header lists, grpc-timeout and grpc-message formats, message prefix, and grpc-go's PING payloads. */
import { describe, expect, it } from 'vitest';
import {
  decodeGrpcMessage,
  decodeGrpcPrefix,
  encodeGrpcMessage,
  encodeGrpcPrefix,
  encodeGrpcTimeout,
  grpcHeadersKind,
  grpcMessageFrames,
  grpcMessagePayload,
  grpcRequestHeaders,
  grpcResponseHeaders,
  grpcTrailers,
  grpcUserAgent,
  pingPayload,
  pingPayloadKind,
  PING_KINDS,
} from '../../src/wire/grpc-wire.js';

describe('header lists per kind (PROTOCOL-HTTP2.md, grpc-go createHeaderFields / writeHeaderLocked / writeStatus)', () => {
  it('request: pseudo-headers first, then content-type, user-agent, te, grpc-timeout, in grpc-go order', () => {
    const list = grpcRequestHeaders({ path: '/pkg.Svc/Method', authority: 'a:1', userAgent: grpcUserAgent('v1.62.0'), timeout: 2e9 });
    expect(list.map((f) => `${f.name}: ${f.value}`)).toEqual([
      ':method: POST',
      ':scheme: http',
      ':path: /pkg.Svc/Method',
      ':authority: a:1',
      'content-type: application/grpc',
      'user-agent: grpc-go/1.62.0',
      'te: trailers',
      'grpc-timeout: 2000000u',
    ]);
    expect(grpcRequestHeaders({ path: '/a/b', authority: 'x', userAgent: 'u' }).some((f) => f.name === 'grpc-timeout')).toBe(false);
    expect(grpcHeadersKind(list)).toBe('request');
  });
  it('response and trailers; Trailers-Only adds :status and content-type before grpc-status', () => {
    expect(grpcResponseHeaders()).toEqual([{ name: ':status', value: '200' }, { name: 'content-type', value: 'application/grpc' }]);
    expect(grpcTrailers({ code: 14, message: 'unavailable: 100%' })).toEqual([
      { name: 'grpc-status', value: '14' },
      { name: 'grpc-message', value: 'unavailable: 100%25' },
    ]);
    expect(grpcTrailers({ code: 0, message: '' }, true).map((f) => f.name)).toEqual([':status', 'content-type', 'grpc-status', 'grpc-message']);
    expect(grpcHeadersKind(grpcResponseHeaders())).toBe('response');
    expect(grpcHeadersKind(grpcTrailers({ code: 0, message: '' }, true))).toBe('trailers');
    expect(grpcHeadersKind([{ name: 'x', value: 'y' }])).toBeUndefined();
  });
});

describe('grpc-timeout (grpcutil.EncodeDuration): finest unit with at most 8 digits, rounded up', () => {
  const cases: readonly [number, string][] = [
    [0, '0n'],
    [-5, '0n'],
    [1, '1n'],
    [99_999_999, '99999999n'],
    [100_000_000, '100000u'], // 1e8 ns needs 9 digits in ns
    [100_000_001, '100001u'], // rounded up
    [20e9, '20000000u'],
    [100e9, '100000m'],
    [100_000e9, '100000S'],
    [100_000_000e9, '1666667M'],
  ];
  for (const [nanos, text] of cases) it(`${nanos} ns -> ${text}`, () => expect(encodeGrpcTimeout(nanos)).toBe(text));
});

describe('grpc-message percent-encoding (PROTOCOL-HTTP2.md "Responses")', () => {
  it('keeps printable ASCII except %, encodes the rest as UTF-8 %XX, uppercase', () => {
    expect(encodeGrpcMessage('plain text ~')).toBe('plain text ~');
    expect(encodeGrpcMessage('50%\n')).toBe('50%25%0A');
    expect(encodeGrpcMessage('héllo ✓')).toBe('h%C3%A9llo %E2%9C%93');
    expect(encodeGrpcMessage('\ud800')).toBe('%EF%BF%BD'); // not Unicode: U+FFFD, as grpc-go does for bad UTF-8
  });
  it('decodes back; a % without two hex digits stays', () => {
    for (const m of ['', 'a', '50%\n', 'héllo ✓', '%%41']) expect(decodeGrpcMessage(encodeGrpcMessage(m))).toBe(m);
    expect(decodeGrpcMessage('100%')).toBe('100%');
    expect(decodeGrpcMessage('%zz%41')).toBe('%zzA');
  });
});

describe('Length-Prefixed-Message', () => {
  it('is flag, 4-octet big-endian length, message: n octets become n + 5', () => {
    expect([...encodeGrpcPrefix({ compressed: false, length: 0x01020304 })]).toEqual([0, 1, 2, 3, 4]);
    expect([...grpcMessagePayload(Uint8Array.of(9, 9), true)]).toEqual([1, 0, 0, 0, 2, 9, 9]);
    expect(decodeGrpcPrefix(Uint8Array.of(1, 0, 0, 1, 0))).toEqual({ compressed: true, length: 256 });
    expect(decodeGrpcPrefix(Uint8Array.of(2, 0, 0, 0, 0))).toBeUndefined();
    expect(decodeGrpcPrefix(Uint8Array.of(0, 0, 0, 0))).toBeUndefined();
    expect(() => encodeGrpcPrefix({ compressed: false, length: 2 ** 32 })).toThrow(RangeError);
  });
  it('splits at 16384 octets per DATA frame, END_STREAM on the last only', () => {
    const frames = grpcMessageFrames(1, new Uint8Array(40_000), { endStream: true });
    expect(frames.map((f) => f.data.length)).toEqual([16384, 16384, 40_005 - 2 * 16384]);
    expect(frames.map((f) => f.endStream)).toEqual([false, false, true]);
    expect(grpcMessageFrames(1, new Uint8Array(16379)).map((f) => f.data.length)).toEqual([16384]);
    expect(grpcMessageFrames(1, new Uint8Array(16380)).map((f) => f.data.length)).toEqual([16384, 1]);
  });
});

describe('PING payloads as grpc-go sends them', () => {
  it('keepalive zeros, goAwayPing 1 6 1 8 0 3 3 9, bdpPing 2 4 16 16 9 14 7 7', () => {
    expect([...pingPayload('keepalive')]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...pingPayload('drain')]).toEqual([1, 6, 1, 8, 0, 3, 3, 9]);
    expect([...pingPayload('bdp')]).toEqual([2, 4, 16, 16, 9, 14, 7, 7]);
  });
  it('classify back to their kind; any other payload is other', () => {
    for (const k of PING_KINDS) expect(pingPayloadKind(pingPayload(k))).toBe(k);
    expect(pingPayloadKind(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1))).toBe('other');
    expect(pingPayloadKind(Uint8Array.of(1, 6, 1, 8, 0, 3, 3, 8))).toBe('other');
  });
});
