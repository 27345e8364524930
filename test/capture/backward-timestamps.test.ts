/**
 * Packets stamped earlier than one before them in the file: counted, and taken at the latest time
 * before them, in the file's order (monotone-clock.ts), so nothing downstream sees time run backwards.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture, backwardTimestamps, monotoneClock, withHandshake, writePcap, type RawPacket, type RelativeSegment } from '../../src/capture/capture.js';
import { CLIENT_PREFACE, encodeFrame, type WireFrame } from '../../src/wire/frame-codec.js';
import { concat } from './capture-builders.js';

const MS = 1_000_000;
const enc = (...frames: WireFrame[]): Uint8Array => concat(...frames.map((f) => encodeFrame(f)));
const settings: WireFrame = { type: 'SETTINGS', ack: false, settings: [] };
const settingsAck: WireFrame = { type: 'SETTINGS', ack: true, settings: [] };
const ping: WireFrame = { type: 'PING', ack: false, opaqueData: new Uint8Array(8) };

const raw = (times: readonly number[]): RawPacket[] =>
  times.map((at, index) => ({ index, fileOffset: 0, interfaceId: 0, linkType: 1, epochNanos: 0n, at, originalLength: 0, data: new Uint8Array(0), truncated: false }));

describe('backward timestamps', () => {
  it('a clock step back: the packets behind the latest time are raised to it, the rest keep their own', () => {
    const clock = monotoneClock(raw([10, 20, 5, 8, 25, 24]));
    expect(clock.at).toEqual([10, 20, 20, 20, 25, 25]);
    expect([...clock.raisedBy]).toEqual([[2, 15], [3, 12], [5, 1]]);
    expect(backwardTimestamps(clock, [0, 1, 2, 3, 4, 5])).toEqual({ packets: 3, first: { packet: 2, by: 15 }, largest: 15 });
    expect(backwardTimestamps(clock, [3, 4])).toEqual({ packets: 1, first: { packet: 3, by: 12 }, largest: 12 });
    expect(backwardTimestamps(clock, [0, 1, 4])).toBeUndefined();
    expect(backwardTimestamps(monotoneClock(raw([0, 0, 1, 1])), [0, 1, 2, 3])).toBeUndefined();
  });

  it('a packet before the first one in time is raised to time 0', () => {
    const clock = monotoneClock(raw([0, -7, 3]));
    expect(clock.at).toEqual([0, 0, 3]);
    expect(backwardTimestamps(clock, [0, 1, 2])).toEqual({ packets: 1, first: { packet: 1, by: 7 }, largest: 7 });
  });

  it('a capture with a packet stamped 1.5 ms early: reported, reassembled and decoded in file order at the raised time', () => {
    const c1 = concat(CLIENT_PREFACE, enc(settings));
    const s1 = enc(settings, settingsAck);
    const c2 = enc(settingsAck);
    const c3 = enc(ping);
    const segs: RelativeSegment[] = [
      { at: 1 * MS, from: 'client', seq: 0, ack: 0, payload: c1 },
      { at: 2 * MS, from: 'server', seq: 0, ack: c1.length, payload: s1 },
      { at: 5 * MS, from: 'client', seq: c1.length, ack: s1.length, payload: c2 },
      { at: 3.5 * MS, from: 'client', seq: c1.length + c2.length, ack: s1.length, payload: c3 },
      { at: 6 * MS, from: 'server', seq: s1.length, ack: c1.length + c2.length + c3.length },
    ];
    const a = analyzeCapture(writePcap(withHandshake(segs, { synAt: 0 })));
    // Packet 6 (the handshake's three come first) is the early one.
    expect(a.file.packets[6]?.at).toBe(3.5 * MS);
    expect(a.backwardTimestamps).toEqual({ packets: 1, first: { packet: 6, by: 1.5 * MS }, largest: 1.5 * MS });
    const [conn] = a.connections;
    expect(conn?.backwardTimestamps).toEqual(a.backwardTimestamps);
    expect(conn?.tcp.segments.map((s) => s.at)).toEqual([0, 0.1, 0.2, 1, 2, 5, 5, 6].map((t) => t * MS));
    // The PING comes after the SETTINGS ACK before it in the file, at that packet's time.
    expect(conn?.frames.filter((f) => f.from === 'client').map((f) => [f.frame.type, f.at])).toEqual([
      ['SETTINGS', 1 * MS],
      ['SETTINGS', 5 * MS],
      ['PING', 5 * MS],
    ]);
  });

  it('a capture in time order has none', () => {
    const a = analyzeCapture(writePcap(withHandshake([{ at: 1 * MS, from: 'client', seq: 0, payload: concat(CLIENT_PREFACE, enc(settings)) }], { synAt: 0 })));
    expect(a.backwardTimestamps).toBeUndefined();
    expect(a.connections[0]?.backwardTimestamps).toBeUndefined();
  });
});
