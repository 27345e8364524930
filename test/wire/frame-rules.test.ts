/** One malformed frame per FrameRule, each breaking exactly that rule of RFC 9113. */
import { describe, expect, it } from 'vitest';
import { FRAME_RULES, FrameError, decodeFrame, type ErrorScope, type FrameRule } from '../../src/wire/frame-codec.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => parseInt(b, 16));
const zeros = (n: number): string => Array(n).fill('00').join(' ');

/** Decodes `wire`, expecting a FrameError; returns it. */
const rejection = (wire: string, options: { maxFrameSize?: number } = {}): FrameError => {
  try {
    const r = decodeFrame(hex(wire), 0, options);
    throw new Error(`expected a FrameError, decoded ${JSON.stringify(r)}`);
  } catch (e) {
    if (!(e instanceof FrameError)) throw e;
    return e;
  }
};

/** 'preface-invalid' is about the octets before the first frame: see wire-reader.test.ts. */
type SingleFrameRule = Exclude<FrameRule, 'preface-invalid'>;

type RuleCase = { readonly wire: string; readonly scope: ErrorScope; readonly why: string };

// Header layout: length(3) type(1) flags(1) stream id(4) | payload.
const CASES = {
  'frame-too-large': { wire: '00 40 01 00 00 00 00 00 01', scope: 'stream', why: 'DATA of 16385 octets, rejected from its header alone' },
  'frame-too-short': { wire: '00 00 04 01 20 00 00 00 01  00 00 00 01', scope: 'connection', why: 'HEADERS with PRIORITY but only 4 octets' },
  'data-on-stream-0': { wire: '00 00 01 00 00 00 00 00 00  aa', scope: 'connection', why: 'DATA on stream 0' },
  'padding-too-long': { wire: '00 00 03 00 08 00 00 00 01  03 00 00', scope: 'connection', why: 'DATA pad length 3 in a 3-octet payload' },
  'headers-on-stream-0': { wire: '00 00 01 01 04 00 00 00 00  82', scope: 'connection', why: 'HEADERS on stream 0' },
  'priority-self-dependency': { wire: '00 00 05 02 00 00 00 00 03  00 00 00 03 0f', scope: 'stream', why: 'stream 3 depends on 3' },
  'priority-on-stream-0': { wire: '00 00 05 02 00 00 00 00 00  00 00 00 01 0f', scope: 'connection', why: 'PRIORITY on stream 0' },
  'priority-length': { wire: '00 00 04 02 00 00 00 00 03  00 00 00 01', scope: 'stream', why: 'PRIORITY of 4 octets' },
  'rst-on-stream-0': { wire: '00 00 04 03 00 00 00 00 00  00 00 00 08', scope: 'connection', why: 'RST_STREAM on stream 0' },
  'rst-stream-length': { wire: '00 00 03 03 00 00 00 00 01  00 00 08', scope: 'connection', why: 'RST_STREAM of 3 octets' },
  'settings-on-stream': { wire: '00 00 00 04 00 00 00 00 01', scope: 'connection', why: 'SETTINGS on stream 1' },
  'settings-ack-with-payload': { wire: '00 00 06 04 01 00 00 00 00  00 02 00 00 00 00', scope: 'connection', why: 'SETTINGS ACK carrying a setting' },
  'settings-length': { wire: '00 00 05 04 00 00 00 00 00  00 02 00 00 00', scope: 'connection', why: 'SETTINGS of 5 octets' },
  'settings-enable-push-value': { wire: '00 00 06 04 00 00 00 00 00  00 02 00 00 00 02', scope: 'connection', why: 'ENABLE_PUSH = 2' },
  'settings-initial-window-too-large': { wire: '00 00 06 04 00 00 00 00 00  00 04 80 00 00 00', scope: 'connection', why: 'INITIAL_WINDOW_SIZE = 2^31' },
  'settings-max-frame-size-range': { wire: '00 00 06 04 00 00 00 00 00  00 05 00 00 3f ff', scope: 'connection', why: 'MAX_FRAME_SIZE = 2^14-1' },
  'push-promise-on-stream-0': { wire: '00 00 04 05 04 00 00 00 00  00 00 00 02', scope: 'connection', why: 'PUSH_PROMISE on stream 0' },
  'ping-on-stream': { wire: `00 00 08 06 00 00 00 00 01  ${zeros(8)}`, scope: 'connection', why: 'PING on stream 1' },
  'ping-length': { wire: `00 00 07 06 00 00 00 00 00  ${zeros(7)}`, scope: 'connection', why: 'PING of 7 octets' },
  'goaway-on-stream': { wire: `00 00 08 07 00 00 00 00 01  ${zeros(8)}`, scope: 'connection', why: 'GOAWAY on stream 1' },
  'goaway-length': { wire: `00 00 07 07 00 00 00 00 00  ${zeros(7)}`, scope: 'connection', why: 'GOAWAY of 7 octets' },
  'window-update-length': { wire: '00 00 03 08 00 00 00 00 00  00 00 01', scope: 'connection', why: 'WINDOW_UPDATE of 3 octets' },
  'window-update-zero-increment': { wire: '00 00 04 08 00 00 00 00 00  00 00 00 00', scope: 'connection', why: 'WINDOW_UPDATE +0 on stream 0' },
  'continuation-on-stream-0': { wire: '00 00 01 09 04 00 00 00 00  82', scope: 'connection', why: 'CONTINUATION on stream 0' },
} as const satisfies Record<SingleFrameRule, RuleCase>;

describe('each FrameRule rejects exactly its malformed frame', () => {
  for (const [rule, c] of Object.entries(CASES) as [SingleFrameRule, RuleCase][]) {
    it(`${rule}: ${c.why}`, () => {
      const e = rejection(c.wire);
      expect(e.rule).toBe(rule);
      expect(e.scope).toBe(c.scope);
      expect(e.errorName).toBe(FRAME_RULES[rule].errorName);
      expect(e.message).toContain(`RFC 9113 section ${FRAME_RULES[rule].section}`);
    });
  }
});

describe('rules whose scope or section depends on the frame', () => {
  it('window-update-zero-increment on a stream is a stream error (6.9)', () => {
    const e = rejection('00 00 04 08 00 00 00 00 05  00 00 00 00');
    expect([e.rule, e.scope, e.streamId]).toEqual(['window-update-zero-increment', 'stream', 5]);
  });

  it('an increment of only the reserved bit is zero (4.1 masks it)', () => {
    expect(rejection('00 00 04 08 00 00 00 00 00  80 00 00 00').rule).toBe('window-update-zero-increment');
  });

  it('frame-too-large is a connection error for HEADERS and honours maxFrameSize', () => {
    expect(rejection('00 40 01 01 04 00 00 00 01').scope).toBe('connection');
    expect(decodeFrame(hex('00 40 01 00 00 00 00 00 01'), 0, { maxFrameSize: 16385 })).toEqual({ needMore: 16385 });
    expect(rejection('00 40 02 00 00 00 00 00 01', { maxFrameSize: 16385 }).rule).toBe('frame-too-large');
    expect(() => decodeFrame(new Uint8Array(0), 0, { maxFrameSize: 100 })).toThrow(RangeError);
  });

  it('padding-too-long cites 6.2 for HEADERS, counting the priority fields', () => {
    const e = rejection('00 00 07 01 28 00 00 00 01  02 00 00 00 00 0f 00');
    expect([e.rule, e.section]).toEqual(['padding-too-long', '6.2']);
    // pad length 1 leaves an empty fragment: allowed.
    expect(decodeFrame(hex('00 00 07 01 28 00 00 00 01  01 00 00 00 00 0f 00'))).toMatchObject({ bytesRead: 16 });
  });

  it('padding-too-long cites 6.6 for PUSH_PROMISE; PADDED with no octets is frame-too-short', () => {
    expect(rejection('00 00 05 05 08 00 00 00 01  01 00 00 00 02').section).toBe('6.6');
    expect(rejection('00 00 00 00 08 00 00 00 01').rule).toBe('frame-too-short');
  });
});
