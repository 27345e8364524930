/** fast-check arbitraries for the simulator's reduced Frames (src/frames/frame.ts), every kind. */
import fc from 'fast-check';
import type { ErrorCodeName, Frame, HeadersKind, PingPayloadKind } from '../../src/frames/frame.js';

const streamId = fc.integer({ min: 1, max: 0x7fff_ffff });
const code = fc.constantFrom<ErrorCodeName>('NO_ERROR', 'PROTOCOL_ERROR', 'CANCEL', 'ENHANCE_YOUR_CALM');

export const SIM_FRAME_ARBITRARIES = {
  SETTINGS: fc.record({ type: fc.constant('SETTINGS' as const), ack: fc.boolean() }),
  PING: fc.record({
    type: fc.constant('PING' as const),
    ack: fc.boolean(),
    payload: fc.constantFrom<PingPayloadKind>('keepalive', 'drain', 'bdp', 'other'),
  }),
  HEADERS: fc.record({
    type: fc.constant('HEADERS' as const),
    streamId,
    endStream: fc.boolean(),
    kind: fc.constantFrom<HeadersKind>('request', 'response', 'trailers'),
  }),
  DATA: fc.record({ type: fc.constant('DATA' as const), streamId, length: fc.integer({ min: 0, max: 16384 }), endStream: fc.boolean() }),
  RST_STREAM: fc.record({ type: fc.constant('RST_STREAM' as const), streamId, code }),
  GOAWAY: fc.record({
    type: fc.constant('GOAWAY' as const),
    lastStreamId: fc.integer({ min: 0, max: 0x7fff_ffff }),
    code,
    debugData: fc.oneof(fc.constantFrom('', 'too_many_pings', 'max_idle', 'max_age'), fc.string({ maxLength: 40 })),
  }),
  WINDOW_UPDATE: fc.record({
    type: fc.constant('WINDOW_UPDATE' as const),
    streamId: fc.integer({ min: 0, max: 0x7fff_ffff }),
    increment: fc.integer({ min: 1, max: 0x7fff_ffff }),
  }),
} as const satisfies { [T in Frame['type']]: fc.Arbitrary<Extract<Frame, { type: T }>> };

export const simFrame: fc.Arbitrary<Frame> = fc.oneof(...Object.values(SIM_FRAME_ARBITRARIES));
