import type { Actor } from '../conn/types.js';
import { frameSize, type Frame } from '../frames/frame.js';
import type { Scenario } from '../scenario/schema.js';
import { createWireWriter, type WireWriter } from '../wire/wire-writer.js';
import { wireOptionsFromScenario } from '../wire/wire-options.js';

/**
 * How many octets a frame takes on the wire, and which: each side's frames go through its own RFC
 * 9113 writer (src/wire), so HEADERS sizes follow that direction's HPACK dynamic table (a second
 * request is smaller than the first), the client's first SETTINGS carries the 24-octet preface,
 * and a raised connection window adds grpc-go's WINDOW_UPDATE after it.
 *
 * Only HEADERS and the first SETTINGS depend on the writer's state; every other frame's size is a
 * fixed function of its fields (`frameSize`), so the hot path asks the writer only for those two.
 * `bytes` is for when the octets themselves are wanted (pcap export); both advance the writer
 * the same way, so sizes never depend on whether anyone looks at the bytes.
 */
export type FrameWire = {
  size(frame: Frame): number;
  bytes(frame: Frame): Uint8Array;
};

export function createFrameWire(writer: WireWriter): FrameWire {
  return {
    size: (f) => (statefulSize(f) ? writer.encode(f).length : frameSize(f)),
    bytes: (f) => writer.encode(f),
  };
}

/** Each side's wire writer for a scenario (its grpc-go version and windows). */
export function scenarioFrameWire(sc: Scenario): Record<Actor, FrameWire> {
  return {
    client: createFrameWire(createWireWriter('client', wireOptionsFromScenario(sc, 'client'))),
    server: createFrameWire(createWireWriter('server', wireOptionsFromScenario(sc, 'server'))),
  };
}

function statefulSize(f: Frame): boolean {
  return f.type === 'HEADERS' || (f.type === 'SETTINGS' && !f.ack);
}
