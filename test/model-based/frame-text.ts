import { assertNever } from '../../src/lib/assert-never.js';
import { PING_PAYLOAD_BYTES, type Frame, type PingPayloadKind } from '../../src/frames/frame.js';
import type { LiteralFrame, PingData } from '../../src/testing/literal/wire.js';
import type { Nanos } from '../../src/time/units.js';

/**
 * One text per frame, the same for kpsim's frames and the literal model's, so the two sides are
 * compared field by field: type, flags, stream, payload bytes of a PING, GOAWAY code and debug
 * data. kpsim's PING payload kinds go through src/frames' byte table, the literal's are bytes
 * already: a wrong byte on either side shows up as a difference.
 */
export function pingHex(kind: PingPayloadKind): PingData {
  return PING_PAYLOAD_BYTES[kind].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function kpsimFrameText(f: Frame): string {
  switch (f.type) {
    case 'PING':
      return `PING${f.ack ? '[ack]' : ''} ${pingHex(f.payload)}`;
    default:
      return commonText(f);
  }
}

export function literalFrameText(f: LiteralFrame): string {
  switch (f.type) {
    case 'PING':
      return `PING${f.ack ? '[ack]' : ''} ${f.data}`;
    default:
      return commonText(f);
  }
}

type Shared = Exclude<Frame, { type: 'PING' }> | Exclude<LiteralFrame, { type: 'PING' }>;

function commonText(f: Shared): string {
  switch (f.type) {
    case 'SETTINGS':
      return f.ack ? 'SETTINGS[ack]' : 'SETTINGS';
    case 'HEADERS':
      return `HEADERS s=${f.streamId} ${f.kind}${f.endStream ? ' END_STREAM' : ''}`;
    case 'DATA':
      return `DATA s=${f.streamId} ${f.length}B${f.endStream ? ' END_STREAM' : ''}`;
    case 'RST_STREAM':
      return `RST_STREAM s=${f.streamId} ${f.code}`;
    case 'GOAWAY':
      return `GOAWAY last=${f.lastStreamId} ${f.code} "${f.debugData}"`;
    case 'WINDOW_UPDATE':
      return `WINDOW_UPDATE s=${f.streamId} +${f.increment}`;
    default:
      return assertNever(f, 'frame');
  }
}

/** `@123 PING[ack] 0000000000000000`. */
export const timed = (at: Nanos, text: string): string => `@${at} ${text}`;
