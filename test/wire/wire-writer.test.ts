/** The wire writer: sizes of what grpc-go would send, the preface and SETTINGS, CONTINUATION, message prefixes. */
import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, type WireFrame } from '../../src/wire/frame-codec.js';
import { CLIENT_PREFACE } from '../../src/wire/preface.js';
import { createHpackDecoder, createWireWriter, decodeGrpcPrefix, wireOptionsFromScenario } from '../../src/wire/grpc-wire.js';
import { parseScenario } from '../../src/scenario/load.js';

const frames = (bytes: Uint8Array): readonly WireFrame[] => {
  const r = decodeFrames(bytes);
  expect(r).toMatchObject({ bytesRead: bytes.length, needMore: 0 });
  return r.frames;
};

describe('sizes', () => {
  it('PING is 17 octets and SETTINGS ack 9 (9-octet header + 8 / + 0)', () => {
    const w = createWireWriter('server');
    expect(w.encode({ type: 'PING', ack: false, payload: 'keepalive' }).length).toBe(17);
    expect(w.encode({ type: 'PING', ack: true, payload: 'drain' }).length).toBe(17);
    expect(w.encode({ type: 'SETTINGS', ack: true }).length).toBe(9);
  });

  it('a second request on the connection has smaller HEADERS: every field is now in the dynamic table', () => {
    const w = createWireWriter('client', { version: '1.62.0', path: '/pkg.Svc/Method', authority: 'host:443' });
    const first = w.encode({ type: 'HEADERS', streamId: 1, endStream: false, kind: 'request' });
    const second = w.encode({ type: 'HEADERS', streamId: 3, endStream: false, kind: 'request' });
    expect(first.length).toBeGreaterThan(second.length);
    // 7 fields, each one indexed octet: :method POST and :scheme http from the static table, the rest dynamic.
    expect(second.length).toBe(9 + 7);
    const d = createHpackDecoder();
    for (const b of [first, second]) {
      const [f] = frames(b);
      expect(f?.type === 'HEADERS' && d.decode(f.headerBlockFragment).find((h) => h.name === 'user-agent')?.value).toBe('grpc-go/1.62.0');
    }
  });

  it('responses shrink the same way; Trailers-Only carries two more fields than trailers after response headers', () => {
    const w = createWireWriter('server');
    const r1 = w.encode({ type: 'HEADERS', streamId: 1, endStream: false, kind: 'response' });
    const t1 = w.encode({ type: 'HEADERS', streamId: 1, endStream: true, kind: 'trailers' });
    const r2 = w.encode({ type: 'HEADERS', streamId: 3, endStream: false, kind: 'response' });
    const t2 = w.encode({ type: 'HEADERS', streamId: 3, endStream: true, kind: 'trailers' });
    const trailersOnly = w.encode({ type: 'HEADERS', streamId: 5, endStream: true, kind: 'trailers' });
    expect(r1.length).toBeGreaterThan(r2.length);
    expect(t1.length).toBeGreaterThan(t2.length);
    // Once every field is in a table each is one octet: :status 200, content-type / grpc-status, grpc-message.
    expect([r2.length, t2.length, trailersOnly.length]).toEqual([9 + 2, 9 + 2, 9 + 4]);
  });
});

describe('connection start', () => {
  it('the client preface comes once, with the first SETTINGS; grpc-go defaults give an empty SETTINGS', () => {
    const w = createWireWriter('client');
    const first = w.encode({ type: 'SETTINGS', ack: false });
    expect(first.length).toBe(24 + 9);
    expect([...first.subarray(0, 24)]).toEqual([...CLIENT_PREFACE]);
    expect(w.encode({ type: 'SETTINGS', ack: false }).length).toBe(9);
  });

  it('the server sends MAX_FRAME_SIZE=16384 always (15 octets)', () => {
    const bytes = createWireWriter('server').encode({ type: 'SETTINGS', ack: false });
    expect(frames(bytes)).toEqual([{ type: 'SETTINGS', ack: false, settings: [{ id: 5, value: 16384 }] }]);
  });

  it('window options: INITIAL_WINDOW_SIZE when >= 65535 and not 65535, and a connection WINDOW_UPDATE after SETTINGS', () => {
    const sc = parseScenario({ name: 'w', client: { window: { stream: 1 << 20, connection: 1 << 21 } }, server: { window: { stream: 1000 } } }, 'test');
    const client = createWireWriter('client', wireOptionsFromScenario(sc, 'client'));
    expect(frames(client.encode({ type: 'SETTINGS', ack: false }).subarray(24))).toEqual([
      { type: 'SETTINGS', ack: false, settings: [{ id: 4, value: 1 << 20 }] },
      { type: 'WINDOW_UPDATE', streamId: 0, increment: (1 << 21) - 65535 },
    ]);
    // A stream window below 65535 is ignored by grpc-go.
    expect(frames(createWireWriter('server', wireOptionsFromScenario(sc, 'server')).encode({ type: 'SETTINGS', ack: false }))).toEqual([
      { type: 'SETTINGS', ack: false, settings: [{ id: 5, value: 16384 }] },
    ]);
  });
});

describe('HEADERS + CONTINUATION', () => {
  it('a block longer than the frame size is cut into HEADERS and CONTINUATIONs that reassemble', () => {
    const path = `/${'p'.repeat(50_000)}`; // 'p' is a 6-bit Huffman code: a 37.5 KB block
    const w = createWireWriter('client', { path });
    const out = frames(w.encode({ type: 'HEADERS', streamId: 5, endStream: false, kind: 'request' }));
    expect(out.map((f) => f.type)).toEqual(['HEADERS', 'CONTINUATION', 'CONTINUATION']);
    expect(out.map((f) => ('endHeaders' in f ? f.endHeaders : undefined))).toEqual([false, false, true]);
    const block = out.flatMap((f) => ('headerBlockFragment' in f ? [...f.headerBlockFragment] : []));
    expect(createHpackDecoder().decode(Uint8Array.from(block)).find((h) => h.name === ':path')?.value).toBe(path);
  });
});

describe('DATA carries gRPC messages', () => {
  it('a sim DATA frame of n + 5 octets starts with the prefix of an n-octet message', () => {
    const w = createWireWriter('client');
    const [f] = frames(w.encode({ type: 'DATA', streamId: 1, length: 517, endStream: false }));
    expect(f?.type === 'DATA' && decodeGrpcPrefix(f.data)).toEqual({ compressed: false, length: 512 });
  });
  it('with a messageLength hint a message runs on into the next frames, which carry no prefix', () => {
    const w = createWireWriter('server');
    const a = frames(w.encode({ type: 'DATA', streamId: 2, length: 16384, endStream: false }, { messageLength: 20_000 }))[0];
    const b = frames(w.encode({ type: 'DATA', streamId: 2, length: 20_005 - 16384, endStream: false }))[0];
    const c = frames(w.encode({ type: 'DATA', streamId: 2, length: 8, endStream: false }))[0];
    expect(a?.type === 'DATA' && decodeGrpcPrefix(a.data)).toEqual({ compressed: false, length: 20_000 });
    expect(b?.type === 'DATA' && [...b.data.subarray(0, 5)]).toEqual([0, 0, 0, 0, 0]);
    expect(c?.type === 'DATA' && decodeGrpcPrefix(c.data)).toEqual({ compressed: false, length: 3 });
  });
  it('an empty END_STREAM DATA frame is empty', () => {
    expect(createWireWriter('client').encode({ type: 'DATA', streamId: 1, length: 0, endStream: true })).toEqual(
      encodeFrame({ type: 'DATA', streamId: 1, endStream: true, data: new Uint8Array(0) }),
    );
  });
});

describe('GOAWAY and RST_STREAM', () => {
  it('carry RFC 9113 codes and the debug data as octets', () => {
    const w = createWireWriter('server');
    expect(frames(w.encode({ type: 'GOAWAY', lastStreamId: 0x7fffffff, code: 'ENHANCE_YOUR_CALM', debugData: 'too_many_pings' }))).toEqual([
      { type: 'GOAWAY', lastStreamId: 0x7fffffff, errorCode: 0xb, debugData: new TextEncoder().encode('too_many_pings') },
    ]);
    expect(frames(w.encode({ type: 'RST_STREAM', streamId: 3, code: 'CANCEL' }))).toEqual([{ type: 'RST_STREAM', streamId: 3, errorCode: 8 }]);
  });
});
