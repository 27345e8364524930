import type { Frame } from '../../src/frames/frame.js';
import type { LiteralFrame } from '../../src/testing/literal/wire.js';
import { pingHex } from './frame-text.js';

/** A frame the harness makes the peer send, in the literal model's vocabulary. */
export function toLiteralFrame(f: Frame): LiteralFrame {
  return f.type === 'PING' ? { type: 'PING', ack: f.ack, data: pingHex(f.payload) } : f;
}
