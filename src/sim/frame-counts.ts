import type { Frame } from '../frames/frame.js';

/**
 * `frameCountKey` (frames/frame.ts), returning only string constants: the template literal there
 * builds a new string per call. test/sim/packet-observer.test.ts holds the two to the same answers.
 */
export function countKey(f: Frame): string {
  switch (f.type) {
    case 'PING':
      return f.ack ? 'PING_ACK' : 'PING';
    case 'SETTINGS':
      return f.ack ? 'SETTINGS_ACK' : 'SETTINGS';
    default:
      return f.type;
  }
}

/**
 * Frames counted by countKey, one plain field per key: the world counts every frame sent and read,
 * and a field increment is much cheaper than a Map or a string-keyed record.
 */
export class FrameCounts {
  SETTINGS = 0;
  SETTINGS_ACK = 0;
  PING = 0;
  PING_ACK = 0;
  HEADERS = 0;
  DATA = 0;
  RST_STREAM = 0;
  GOAWAY = 0;
  WINDOW_UPDATE = 0;

  add(f: Frame): void {
    switch (f.type) {
      case 'PING':
        if (f.ack) this.PING_ACK++;
        else this.PING++;
        return;
      case 'SETTINGS':
        if (f.ack) this.SETTINGS_ACK++;
        else this.SETTINGS++;
        return;
      case 'HEADERS':
        this.HEADERS++;
        return;
      case 'DATA':
        this.DATA++;
        return;
      case 'RST_STREAM':
        this.RST_STREAM++;
        return;
      case 'GOAWAY':
        this.GOAWAY++;
        return;
      case 'WINDOW_UPDATE':
        this.WINDOW_UPDATE++;
        return;
    }
  }

  /** The counts as the outcome gives them: only keys seen at least once, in key order. */
  toRecord(): Record<string, number> {
    const all: [string, number][] = [
      ['DATA', this.DATA],
      ['GOAWAY', this.GOAWAY],
      ['HEADERS', this.HEADERS],
      ['PING', this.PING],
      ['PING_ACK', this.PING_ACK],
      ['RST_STREAM', this.RST_STREAM],
      ['SETTINGS', this.SETTINGS],
      ['SETTINGS_ACK', this.SETTINGS_ACK],
      ['WINDOW_UPDATE', this.WINDOW_UPDATE],
    ];
    return Object.fromEntries(all.filter(([, n]) => n > 0));
  }
}
