/** fast-check arbitraries for valid WireFrames of every type, padding and priority included. */
import fc from 'fast-check';
import type {
  ContinuationFrame,
  DataFrame,
  GoAwayFrame,
  HeadersFrame,
  PingFrame,
  PriorityFrame,
  PrioritySpec,
  PushPromiseFrame,
  RstStreamFrame,
  Setting,
  SettingsFrame,
  UnknownFrame,
  WindowUpdateFrame,
  WireFrame,
} from '../../src/wire/frame-codec.js';

const MAX_STREAM_ID = 0x7fff_ffff;
const streamId = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: MAX_STREAM_ID }));
const anyStreamId = fc.integer({ min: 0, max: MAX_STREAM_ID });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const bytes = fc.uint8Array({ maxLength: 48 });
const padLength = fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined });

/** A priority spec for stream `id` that does not depend on itself. */
const prioritySpec = (id: number): fc.Arbitrary<PrioritySpec> =>
  fc
    .record({ exclusive: fc.boolean(), streamDependency: anyStreamId, weight: fc.integer({ min: 1, max: 256 }) })
    .filter((p) => p.streamDependency !== id);

export const dataFrame: fc.Arbitrary<DataFrame> = fc
  .tuple(streamId, fc.boolean(), padLength, bytes)
  .map(([id, endStream, pad, data]) => {
    const base: DataFrame = { type: 'DATA', streamId: id, endStream, data };
    return pad === undefined ? base : { ...base, padLength: pad };
  });

export const headersFrame: fc.Arbitrary<HeadersFrame> = streamId.chain((id) =>
  fc
    .tuple(fc.boolean(), fc.boolean(), padLength, fc.option(prioritySpec(id), { nil: undefined }), bytes)
    .map(([endStream, endHeaders, pad, priority, headerBlockFragment]) => {
      const base: HeadersFrame = { type: 'HEADERS', streamId: id, endStream, endHeaders, headerBlockFragment };
      const withPriority: HeadersFrame = priority === undefined ? base : { ...base, priority };
      return pad === undefined ? withPriority : { ...withPriority, padLength: pad };
    }),
);

export const priorityFrame: fc.Arbitrary<PriorityFrame> = streamId.chain((id) =>
  prioritySpec(id).map((p) => ({ type: 'PRIORITY' as const, streamId: id, ...p })),
);

export const rstStreamFrame: fc.Arbitrary<RstStreamFrame> = fc.record({
  type: fc.constant('RST_STREAM' as const),
  streamId,
  errorCode: u32,
});

/** Valid values for the constrained identifiers, any u32 for the others (including unknown ids). */
const setting: fc.Arbitrary<Setting> = fc.oneof(
  fc.record({ id: fc.constant(2), value: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ id: fc.constant(4), value: fc.integer({ min: 0, max: MAX_STREAM_ID }) }),
  fc.record({ id: fc.constant(5), value: fc.integer({ min: 0x4000, max: 0xff_ffff }) }),
  fc.record({ id: fc.constantFrom(1, 3, 6), value: u32 }),
  fc.record({ id: fc.integer({ min: 7, max: 0xffff }), value: u32 }),
);

export const settingsFrame: fc.Arbitrary<SettingsFrame> = fc.oneof(
  fc.constant<SettingsFrame>({ type: 'SETTINGS', ack: true, settings: [] }),
  fc.array(setting, { maxLength: 8 }).map((settings): SettingsFrame => ({ type: 'SETTINGS', ack: false, settings })),
);

export const pushPromiseFrame: fc.Arbitrary<PushPromiseFrame> = fc
  .tuple(streamId, fc.boolean(), padLength, streamId, bytes)
  .map(([id, endHeaders, pad, promisedStreamId, headerBlockFragment]) => {
    const base: PushPromiseFrame = { type: 'PUSH_PROMISE', streamId: id, endHeaders, promisedStreamId, headerBlockFragment };
    return pad === undefined ? base : { ...base, padLength: pad };
  });

export const pingFrame: fc.Arbitrary<PingFrame> = fc.record({
  type: fc.constant('PING' as const),
  ack: fc.boolean(),
  opaqueData: fc.uint8Array({ minLength: 8, maxLength: 8 }),
});

export const goAwayFrame: fc.Arbitrary<GoAwayFrame> = fc.record({
  type: fc.constant('GOAWAY' as const),
  lastStreamId: anyStreamId,
  errorCode: u32,
  debugData: bytes,
});

export const windowUpdateFrame: fc.Arbitrary<WindowUpdateFrame> = fc.record({
  type: fc.constant('WINDOW_UPDATE' as const),
  streamId: anyStreamId,
  increment: fc.integer({ min: 1, max: MAX_STREAM_ID }),
});

export const continuationFrame: fc.Arbitrary<ContinuationFrame> = fc.record({
  type: fc.constant('CONTINUATION' as const),
  streamId,
  endHeaders: fc.boolean(),
  headerBlockFragment: bytes,
});

export const unknownFrame: fc.Arbitrary<UnknownFrame> = fc.record({
  type: fc.constant('UNKNOWN' as const),
  typeCode: fc.integer({ min: 0x0a, max: 0xff }),
  flags: fc.integer({ min: 0, max: 0xff }),
  streamId: anyStreamId,
  payload: bytes,
});

/** One arbitrary per frame type; the `satisfies` makes a missing type a compile error. */
export const FRAME_ARBITRARIES = {
  DATA: dataFrame,
  HEADERS: headersFrame,
  PRIORITY: priorityFrame,
  RST_STREAM: rstStreamFrame,
  SETTINGS: settingsFrame,
  PUSH_PROMISE: pushPromiseFrame,
  PING: pingFrame,
  GOAWAY: goAwayFrame,
  WINDOW_UPDATE: windowUpdateFrame,
  CONTINUATION: continuationFrame,
  UNKNOWN: unknownFrame,
} as const satisfies { [T in WireFrame['type']]: fc.Arbitrary<Extract<WireFrame, { type: T }>> };

export const wireFrame: fc.Arbitrary<WireFrame> = fc.oneof(...Object.values(FRAME_ARBITRARIES));
