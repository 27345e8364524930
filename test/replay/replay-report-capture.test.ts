/**
 * What `kpsim replay` prints from the capture itself: untrusted strings (GOAWAY debug data with
 * terminal escapes) come out as visible escapes, never raw, in the text and the JSON; packets
 * stamped earlier than one before them reach the verdict as a warning saying what kpsim did.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture, withHandshake, writePcap, type RelativeSegment } from '../../src/capture/capture.js';
import { replayInputFromConnection } from '../../src/replay/from-capture.js';
import { replayCapture } from '../../src/replay/replay.js';
import { renderReplayJson, renderReplayText, replayJson } from '../../src/report/replay-report.js';
import { parseScenario } from '../../src/scenario/load.js';
import { CLIENT_PREFACE, encodeFrame, type WireFrame } from '../../src/wire/frame-codec.js';
import { concat } from '../capture/capture-builders.js';

const MS = 1_000_000;
const enc = (...frames: WireFrame[]): Uint8Array => concat(...frames.map((f) => encodeFrame(f)));
const goaway = (debug: string): WireFrame => ({ type: 'GOAWAY', lastStreamId: 0, errorCode: 0, debugData: new TextEncoder().encode(debug) });
const settings: WireFrame = { type: 'SETTINGS', ack: false, settings: [] };
const settingsAck: WireFrame = { type: 'SETTINGS', ack: true, settings: [] };
/** Any character a terminal may act on (safe-text.ts), newline aside. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Handshake, SETTINGS both ways, a GOAWAY from each side; the client's GOAWAY stamped `clientGoawayAt`. */
const replayOf = (clientDebug: string, serverDebug: string, clientGoawayAt = 5.5 * MS) => {
  const c1 = concat(CLIENT_PREFACE, enc(settings));
  const s1 = enc(settings, settingsAck);
  const c2 = enc(settingsAck);
  const c3 = enc(goaway(clientDebug));
  const segs: RelativeSegment[] = [
    { at: 1 * MS, from: 'client', seq: 0, ack: 0, payload: c1 },
    { at: 2 * MS, from: 'server', seq: 0, ack: c1.length, payload: s1 },
    { at: 5 * MS, from: 'client', seq: c1.length, ack: s1.length, payload: c2 },
    { at: clientGoawayAt, from: 'client', seq: c1.length + c2.length, ack: s1.length, payload: c3 },
    { at: 6 * MS, from: 'server', seq: s1.length, ack: c1.length + c2.length + c3.length, payload: enc(goaway(serverDebug)) },
  ];
  const a = analyzeCapture(writePcap(withHandshake(segs, { synAt: 0 })));
  const conn = a.connections[0];
  if (conn === undefined) throw new Error('no connection');
  const conversion = replayInputFromConnection(conn, 'server');
  const r = replayCapture(conversion.input, { side: 'server', scenario: parseScenario({ name: 'replay' }, 'test'), tcp: conn });
  const src = { file: 'evil.pcap', connection: conn, connections: 1, conversion, startEpochNanos: a.file.startEpochNanos };
  return { text: renderReplayText(r, src), json: replayJson(r, src), jsonText: renderReplayJson(r, src) };
};

describe('replay output from an untrusted capture', () => {
  it('GOAWAY debug data with "\\x1b[2J" (and OSC, newline, C1 CSI, bidi override) is printed as visible escapes', () => {
    const { text, jsonText, json } = replayOf('client \x1b[2J\x1b]0;pwned\x07 bye\u202e', 'server \x1b[2J\nline two \x9b31m');
    expect(text).not.toMatch(RAW_CONTROL);
    // The peer's GOAWAY in the server's timeline, and the server's own in the verdict.
    expect(text).toContain('read GOAWAY last=0 NO_ERROR "client \\x1b[2J\\x1b]0;pwned\\x07 bye\\u{202e}"');
    expect(text).toContain('capture the real server sent GOAWAY NO_ERROR "server \\x1b[2J\\x0aline two \\x9b31m" at 0.006s');
    // JSON: the same values for a JSON reader, nothing raw on a terminal.
    expect(jsonText).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(jsonText)).toEqual(JSON.parse(JSON.stringify(json)));
    expect((json['captured'] as { closedBy: { how: string } }).closedBy.how).toBe('GOAWAY NO_ERROR "server \x1b[2J\nline two \x9b31m"');
  });

  it('a packet stamped earlier than the one before it is a warning in the verdict, with what kpsim did', () => {
    const { text, json } = replayOf('bye', 'bye', 3.5 * MS);
    const verdict = text.slice(text.indexOf('\nverdict\n'));
    expect(verdict).toContain(
      "warning 1 packet of this connection is stamped earlier than a packet before it in the file (the first: frame 7, 1.5ms earlier): kpsim kept the file's order and took each at the latest time before it, so the replay's time never runs backwards",
    );
    expect(json['warnings']).toEqual([
      {
        kind: 'backward-timestamps',
        packets: 1,
        firstFrame: 7,
        firstEarlierByMs: 1.5,
        largestEarlierByMs: 1.5,
        handling: "kpsim kept the file's order and took each at the latest time before it, so the replay's time never runs backwards",
      },
    ]);
    // The early GOAWAY is read at the time of the packet before it, after the SETTINGS ACK, not before.
    expect(text).toMatch(/0\.005s\s+\+0\.000s\s+server\s+read GOAWAY/);
  });

  it('a capture in time order has no warning', () => {
    const { text, json } = replayOf('bye', 'bye');
    expect(text).not.toContain('warning');
    expect(json['warnings']).toEqual([]);
  });
});
