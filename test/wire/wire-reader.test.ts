/** The wire reader: preface, header-block sequencing (RFC 9113 section 6.10), mapping and what it leaves unmapped. */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameError, type WireFrame } from '../../src/wire/frame-codec.js';
import { CLIENT_PREFACE } from '../../src/wire/preface.js';
import { createHpackEncoder, createWireReader, HpackError, simFrames, type WireReadItem } from '../../src/wire/grpc-wire.js';

const wire = (...frames: WireFrame[]): Uint8Array => Uint8Array.from(frames.flatMap((f) => [...encodeFrame(f)]));
const block = (list: { name: string; value: string }[]): Uint8Array => createHpackEncoder().encode(list);
const REQUEST = block([{ name: ':method', value: 'POST' }, { name: ':path', value: '/a.B/C' }]);

const rejection = (read: () => unknown): FrameError | HpackError => {
  try {
    read();
  } catch (e) {
    if (e instanceof FrameError || e instanceof HpackError) return e;
    throw e;
  }
  throw new Error('expected a FrameError or HpackError');
};

describe('client preface (RFC 9113 section 3.4)', () => {
  it('is consumed before the first frame, even one octet at a time; offsets count it', () => {
    const r = createWireReader('client');
    const bytes = Uint8Array.from([...CLIENT_PREFACE, ...encodeFrame({ type: 'SETTINGS', ack: false, settings: [] })]);
    const items: WireReadItem[] = [];
    for (const b of bytes) items.push(...r.push(Uint8Array.of(b)));
    expect(items.map((i) => [i.offset, i.sim])).toEqual([[24, { type: 'frame', frame: { type: 'SETTINGS', ack: false } }]]);
  });
  it('a wrong octet is preface-invalid as soon as it arrives, and the reader stays failed', () => {
    const r = createWireReader('client');
    expect(r.push(CLIENT_PREFACE.subarray(0, 10))).toEqual([]);
    const e = rejection(() => r.push(Uint8Array.of(0x00)));
    expect([e.rule, e.errorName]).toEqual(['preface-invalid', 'PROTOCOL_ERROR']);
    expect(() => r.push(CLIENT_PREFACE.subarray(11))).toThrow(/preface-invalid/);
  });
  it('the server sends no preface', () => {
    expect(simFrames(createWireReader('server').push(wire({ type: 'SETTINGS', ack: true, settings: [] })))).toEqual([{ type: 'SETTINGS', ack: true }]);
  });
});

describe('header blocks across CONTINUATION (section 6.10)', () => {
  const first: WireFrame = { type: 'HEADERS', streamId: 1, endStream: true, endHeaders: false, headerBlockFragment: REQUEST.subarray(0, 2) };
  const rest: WireFrame = { type: 'CONTINUATION', streamId: 1, endHeaders: true, headerBlockFragment: REQUEST.subarray(2) };

  it('HEADERS is pending, the CONTINUATION that ends the block carries the list and the sim frame (END_STREAM from HEADERS)', () => {
    const items = createWireReader('server').push(wire(first, rest));
    expect(items.map((i) => i.sim.type)).toEqual(['pending', 'frame']);
    expect(items[1]?.headers).toEqual([{ name: ':method', value: 'POST' }, { name: ':path', value: '/a.B/C' }]);
    expect(simFrames(items)).toEqual([{ type: 'HEADERS', streamId: 1, endStream: true, kind: 'request' }]);
  });
  it('any other frame inside the block is continuation-expected', () => {
    const ping: WireFrame = { type: 'PING', ack: false, opaqueData: new Uint8Array(8) };
    expect(rejection(() => createWireReader('server').push(wire(first, ping))).rule).toBe('continuation-expected');
    expect(rejection(() => createWireReader('server').push(wire(first, { ...rest, streamId: 3 }))).rule).toBe('continuation-expected');
  });
  it('a CONTINUATION with no open block is continuation-unexpected', () => {
    expect(rejection(() => createWireReader('server').push(wire(rest))).rule).toBe('continuation-unexpected');
  });
  it('a block over maxHeaderBlockSize is header-block-too-large before it is decoded', () => {
    const e = rejection(() => createWireReader('server', { maxHeaderBlockSize: 3 }).push(wire(first, rest)));
    expect([e.rule, e.scope]).toEqual(['header-block-too-large', 'connection']);
  });
  it('a block HPACK cannot decode is a compression-error on its stream', () => {
    const bad: WireFrame = { type: 'HEADERS', streamId: 7, endStream: false, endHeaders: true, headerBlockFragment: Uint8Array.of(0x80) };
    const e = rejection(() => createWireReader('server').push(wire(bad)));
    expect([e.rule, e.streamId]).toEqual(['compression-error', 7]);
  });
});

describe('mapping to sim Frames', () => {
  const headers = (list: { name: string; value: string }[]): WireFrame => ({ type: 'HEADERS', streamId: 1, endStream: false, endHeaders: true, headerBlockFragment: block(list) });

  it('a malformed field section is a stream error: unmapped, with the HpackError, and reading goes on', () => {
    const r = createWireReader('server');
    const [item] = r.push(wire(headers([{ name: 'Content-Type', value: 'x' }])));
    expect(item?.sim).toMatchObject({ type: 'unmapped', error: { rule: 'field-name-invalid', scope: 'stream' } });
    const [late] = createWireReader('server').push(wire(headers([{ name: 'a', value: '1' }, { name: ':status', value: '200' }])));
    expect(late?.sim).toMatchObject({ type: 'unmapped', error: { rule: 'pseudo-header-after-regular' } });
    const [crlf] = createWireReader('server').push(wire(headers([{ name: 'a', value: '1\r\n2' }])));
    expect(crlf?.sim).toMatchObject({ type: 'unmapped', error: { rule: 'field-value-invalid' } });
    expect(simFrames(r.push(wire({ type: 'PING', ack: true, opaqueData: new Uint8Array(8) })))).toHaveLength(1);
  });

  it('reports what a sim Frame cannot hold instead of guessing', () => {
    const items = createWireReader('server').push(
      wire(
        headers([{ name: 'x-only', value: '1' }]),
        { type: 'RST_STREAM', streamId: 1, errorCode: 7 },
        { type: 'GOAWAY', lastStreamId: 0, errorCode: 2, debugData: new Uint8Array(0) },
        { type: 'PRIORITY', streamId: 3, exclusive: false, streamDependency: 0, weight: 16 },
        { type: 'UNKNOWN', typeCode: 0xfa, flags: 0, streamId: 0, payload: Uint8Array.of(1) },
      ),
    );
    expect(items.map((i) => (i.sim.type === 'unmapped' ? i.sim.reason : i.sim.type))).toEqual([
      'header list has none of :method, :status, grpc-status',
      'RST_STREAM error code 7 is not one the simulator models',
      'GOAWAY error code 2 is not one the simulator models',
      'PRIORITY frames are not simulated (grpc-go ignores them)',
      'frame type 0xfa is unknown (ignored, RFC 9113 section 4.1)',
    ]);
  });

  it('PING payloads map to their grpc-go kind, ACKs included; DATA length counts padding', () => {
    const items = createWireReader('server').push(
      wire(
        { type: 'PING', ack: true, opaqueData: Uint8Array.of(2, 4, 16, 16, 9, 14, 7, 7) },
        { type: 'PING', ack: false, opaqueData: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) },
        { type: 'DATA', streamId: 1, endStream: false, padLength: 3, data: new Uint8Array(10) },
      ),
    );
    expect(simFrames(items)).toEqual([
      { type: 'PING', ack: true, payload: 'bdp' },
      { type: 'PING', ack: false, payload: 'other' },
      { type: 'DATA', streamId: 1, endStream: false, length: 14 },
    ]);
  });
});
