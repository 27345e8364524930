import fc from 'fast-check';
import type { Frame } from '../../src/frames/frame.js';
import { FrameError, decodeFrame, decodeFrames, encodeFrame } from '../../src/wire/frame-codec.js';
import { CLIENT_PREFACE } from '../../src/wire/preface.js';
import { HpackError, createWireReader, createWireWriter } from '../../src/wire/grpc-wire.js';
import type { FuzzTarget } from '../target.js';

/** Most wall-clock time one input may take; inputs are at most a few KB, so this is far above normal. */
const TIME_LIMIT_MS = 2000;

const simFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ type: fc.constant('SETTINGS' as const), ack: fc.boolean() }),
  fc.record({ type: fc.constant('PING' as const), ack: fc.boolean(), payload: fc.constantFrom('keepalive' as const, 'drain' as const, 'bdp' as const, 'other' as const) }),
  fc.record({ type: fc.constant('HEADERS' as const), streamId: fc.integer({ min: 1, max: 99 }), endStream: fc.boolean(), kind: fc.constantFrom('request' as const, 'response' as const, 'trailers' as const) }),
  fc.record({ type: fc.constant('DATA' as const), streamId: fc.integer({ min: 1, max: 99 }), length: fc.integer({ min: 0, max: 300 }), endStream: fc.boolean() }),
  fc.record({ type: fc.constant('RST_STREAM' as const), streamId: fc.integer({ min: 1, max: 99 }), code: fc.constantFrom('NO_ERROR' as const, 'CANCEL' as const) }),
  fc.record({ type: fc.constant('GOAWAY' as const), lastStreamId: fc.nat(), code: fc.constantFrom('NO_ERROR' as const, 'ENHANCE_YOUR_CALM' as const), debugData: fc.string({ maxLength: 20 }) }),
  fc.record({ type: fc.constant('WINDOW_UPDATE' as const), streamId: fc.nat(9), increment: fc.integer({ min: 1, max: 0x7fffffff }) }),
);

/** A server's octets for a run of sim frames: valid frames with real HPACK blocks. */
const validBytes = fc.array(simFrame, { maxLength: 8 }).map((frames) => {
  const w = createWireWriter('server');
  return Uint8Array.from(frames.flatMap((f) => [...w.encode(f)]));
});

/** Frame headers with small lengths, any type, flags and stream, random payloads. */
const rawFrames = fc
  .array(fc.record({ type: fc.integer({ min: 0, max: 12 }), flags: fc.integer({ min: 0, max: 0xff }), stream: fc.integer({ min: 0, max: 0xffff_ffff }), payload: fc.uint8Array({ maxLength: 40 }) }), { maxLength: 5 })
  .map((fs) => Uint8Array.from(fs.flatMap((f) => [0, 0, f.payload.length, f.type, f.flags, f.stream >>> 24, (f.stream >>> 16) & 0xff, (f.stream >>> 8) & 0xff, f.stream & 0xff, ...f.payload])));

type Mutation = { readonly at: number; readonly op: 'flip' | 'insert' | 'delete' | 'truncate'; readonly value: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), op: fc.constantFrom('flip' as const, 'insert' as const, 'delete' as const, 'truncate' as const), value: fc.integer({ min: 0, max: 0xff }) });

const mutate = (bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array => {
  let b = [...bytes];
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.op === 'flip' && b.length > 0) b[at] = (b[at] ?? 0) ^ (m.value || 1);
    else if (m.op === 'insert') b.splice(at, 0, m.value);
    else if (m.op === 'delete') b.splice(at, 1);
    else if (m.op === 'truncate') b = b.slice(0, at);
  }
  return Uint8Array.from(b);
};

const input: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  rawFrames,
  fc.tuple(fc.oneof(validBytes, rawFrames), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([b, ms]) => mutate(b, ms)),
);

const expected = (e: unknown): void => {
  if (!(e instanceof FrameError) && !(e instanceof HpackError)) throw e;
};

/** The codec yields frames or a FrameError; the readers (both sides) frames or FrameError/HpackError. */
function check(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    const r = decodeFrames(bytes);
    if (r.bytesRead > bytes.length || r.frames.length > Math.floor(bytes.length / 9)) throw new Error(`decodeFrames overran: ${r.bytesRead} of ${bytes.length}`);
    for (const f of r.frames) {
      const again = decodeFrame(encodeFrame(f));
      if (!('frame' in again) || JSON.stringify(again.frame) !== JSON.stringify(f)) throw new Error(`re-encoding ${f.type} does not decode to the same frame`);
    }
  } catch (e) {
    expected(e);
  }
  for (const [side, prefix] of [['server', []], ['client', [...CLIENT_PREFACE]]] as const) {
    try {
      const reader = createWireReader(side);
      reader.push(Uint8Array.from([...prefix, ...bytes]));
    } catch (e) {
      expected(e);
    }
  }
  const ms = performance.now() - started;
  if (ms > TIME_LIMIT_MS) throw new Error(`one input of ${bytes.length} octets took ${ms.toFixed(0)} ms`);
}

export const target: FuzzTarget<Uint8Array> = {
  name: 'frame-decoder',
  description: 'random and mutated frame octets decode to frames or a FrameError (codec), or also an HpackError (wire reader), in bounded time',
  property: (onRun) =>
    fc.property(input, (bytes) => {
      onRun();
      check(bytes);
    }),
  save: (bytes) => bytes,
  load: (bytes) => bytes,
  check,
};
