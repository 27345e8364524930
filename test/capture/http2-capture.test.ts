import { describe, expect, it } from 'vitest';
import { analyzeCapture, withHandshake, writePcap, type Http2Connection, type RelativeSegment } from '../../src/capture/capture.js';
import { CLIENT_PREFACE, encodeFrame, type WireFrame } from '../../src/wire/frame-codec.js';
import { concat } from './capture-builders.js';

const MS = 1_000_000;
const enc = (...frames: WireFrame[]): Uint8Array => concat(...frames.map((f) => encodeFrame(f)));
const settings: WireFrame = { type: 'SETTINGS', ack: false, settings: [{ id: 3, value: 100 }] };
const settingsAck: WireFrame = { type: 'SETTINGS', ack: true, settings: [] };
const ping = (ack: boolean): WireFrame => ({ type: 'PING', ack, opaqueData: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) });

const connection = (segments: RelativeSegment[]): Http2Connection => {
  const a = analyzeCapture(writePcap(withHandshake(segments, { synAt: 0 })));
  expect(a.connections).toHaveLength(1);
  const [c] = a.connections;
  if (c === undefined) throw new Error('no connection');
  return c;
};
const summary = (c: Http2Connection) => c.frames.map((f) => [f.at, f.from, f.frame.type, f.offset]);

describe('HTTP/2 frames from a capture', () => {
  it('finds the client by its preface and merges both directions in time order', () => {
    const c1 = concat(CLIENT_PREFACE, enc(settings));
    const s1 = enc(settings, settingsAck);
    const c2 = enc(settingsAck, ping(false));
    const c = connection([
      { at: 1 * MS, from: 'client', seq: 0, ack: 0, payload: c1 },
      { at: 2 * MS, from: 'server', seq: 0, ack: c1.length, payload: s1 },
      { at: 3 * MS, from: 'client', seq: c1.length, ack: s1.length, payload: c2 },
      { at: 4 * MS, from: 'server', seq: s1.length, ack: c1.length + c2.length, payload: enc(ping(true)) },
    ]);
    expect(c.protocol).toBe('http2');
    expect(c.client).toEqual({ address: '10.0.0.2', port: 50000 });
    expect(summary(c)).toEqual([
      [1 * MS, 'client', 'SETTINGS', 24],
      [2 * MS, 'server', 'SETTINGS', 0],
      [2 * MS, 'server', 'SETTINGS', 15],
      [3 * MS, 'client', 'SETTINGS', 39],
      [3 * MS, 'client', 'PING', 48],
      [4 * MS, 'server', 'PING', 24],
    ]);
    expect(c.end).toEqual({ state: 'open' });
    expect(c.errors).toEqual([]);
  });

  it('stamps a frame with the time its last byte became contiguous, not when its first arrived', () => {
    const p = enc(ping(false));
    const c1 = concat(CLIENT_PREFACE, p);
    // The PING's tail arrives first (out of order); its head fills the hole 5 ms later.
    const c = connection([
      { at: 1 * MS, from: 'client', seq: 30, payload: c1.subarray(30) },
      { at: 6 * MS, from: 'client', seq: 0, payload: c1.subarray(0, 30) },
    ]);
    expect(summary(c)).toEqual([[6 * MS, 'client', 'PING', 24]]);
    expect(c.directions.client.counts).toMatchObject({ outOfOrder: 1, retransmissions: 0 });
  });

  it('a responder that sends the preface is the client', () => {
    const c = connection([{ at: 1 * MS, from: 'server', seq: 0, payload: concat(CLIENT_PREFACE, enc(settings)) }]);
    expect(c.protocol).toBe('http2');
    expect(c.client).toEqual({ address: '10.0.0.1', port: 50051 });
    expect(summary(c)).toEqual([[1 * MS, 'client', 'SETTINGS', 24]]);
  });

  it('lists a connection without the preface as unknown, with no frames', () => {
    const c = connection([{ at: 1 * MS, from: 'client', seq: 0, payload: new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n') }]);
    expect(c.protocol).toBe('unknown');
    expect(c.frames).toEqual([]);
    expect(c.directions.client.trailingBytes).toBe(18);
  });

  it('keeps the frames before a malformed one and reports the rule and offset', () => {
    const badPing = encodeFrame(ping(false));
    badPing[8] = 1; // stream 1: PING must be on stream 0
    const c = connection([{ at: 1 * MS, from: 'client', seq: 0, payload: concat(CLIENT_PREFACE, enc(settings), badPing, enc(ping(false))) }]);
    expect(summary(c)).toEqual([[1 * MS, 'client', 'SETTINGS', 24]]);
    expect(c.errors.map((e) => [e.from, e.offset, e.at, e.rule, e.error.name])).toEqual([['client', 39, 1 * MS, 'ping-on-stream', 'FrameError']]);
  });

  it('stops at a gap: frames after lost bytes are not decoded, a frame cut by it is trailing', () => {
    const c1 = concat(CLIENT_PREFACE, enc(settings, ping(false), ping(false)));
    const c = connection([
      { at: 1 * MS, from: 'client', seq: 0, payload: c1.subarray(0, 45) }, // preface, SETTINGS, 6 bytes of the first PING
      { at: 2 * MS, from: 'client', seq: 50, payload: c1.subarray(50) }, // 5 bytes lost
    ]);
    expect(summary(c)).toEqual([[1 * MS, 'client', 'SETTINGS', 24]]);
    expect(c.directions.client).toMatchObject({ bytes: 45, trailingBytes: 6, undeliveredBytes: c1.length - 50, gap: { start: 45, cause: 'missing', at: 2 * MS } });
  });

  it('says who ended the connection and how', () => {
    const c1 = concat(CLIENT_PREFACE, enc(settings));
    const reset = connection([
      { at: 1 * MS, from: 'client', seq: 0, payload: c1 },
      { at: 2 * MS, from: 'server', seq: 0, rst: true },
    ]);
    expect(reset.end).toEqual({ state: 'reset', first: { by: 'server', kind: 'rst', at: 2 * MS } });
    expect(reset.directions.server.rst).toBe(2 * MS);

    const fin = connection([
      { at: 1 * MS, from: 'client', seq: 0, payload: c1 },
      { at: 2 * MS, from: 'client', seq: c1.length, ack: 0, fin: true },
      { at: 3 * MS, from: 'server', seq: 0, ack: c1.length + 1, fin: true },
    ]);
    expect(fin.end).toEqual({ state: 'closed', first: { by: 'client', kind: 'fin', at: 2 * MS } });
    expect([fin.directions.client.fin, fin.directions.server.fin]).toEqual([2 * MS, 3 * MS]);
    expect([fin.startedAt, fin.endedAt]).toEqual([0, 3 * MS]);
  });
});
