/**
 * From decoded wire frames back to the simulator's reduced `Frame`s (src/frames/frame.ts), for
 * replaying captures. What a sim Frame cannot hold is reported as `unmapped` with the reason,
 * never guessed: PRIORITY, PUSH_PROMISE, frames of unknown type, RST_STREAM/GOAWAY error codes
 * outside the four the simulator models, and header lists that are not a gRPC request, response
 * or trailers. A HEADERS (or CONTINUATION) frame that does not end its block maps to `pending`;
 * the frame that ends it carries the sim HEADERS frame.
 */
import type { ErrorCodeName, Frame } from '../frames/frame.js';
import { assertNever } from '../lib/assert-never.js';
import { grpcHeadersKind } from './grpc-headers.js';
import { pingPayloadKind } from './grpc-ping.js';
import type { HpackError } from './hpack-error.js';
import type { HeaderList } from './header-list.js';
import type { WireFrame } from './wire-frame.js';

export type SimMapping =
  | { readonly type: 'frame'; readonly frame: Frame }
  | { readonly type: 'pending'; readonly reason: string }
  | { readonly type: 'unmapped'; readonly reason: string; readonly error?: HpackError };

/** The RFC 9113 section 7 codes of the simulator's ErrorCodeName. */
export const SIM_ERROR_CODES = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  CANCEL: 0x8,
  ENHANCE_YOUR_CALM: 0xb,
} as const satisfies Record<ErrorCodeName, number>;

const NAME_BY_CODE: ReadonlyMap<number, ErrorCodeName> = new Map(
  (Object.entries(SIM_ERROR_CODES) as [ErrorCodeName, number][]).map(([name, code]) => [code, name]),
);

const codeName = (code: number): ErrorCodeName | undefined => NAME_BY_CODE.get(code);

/** A completed header block: the stream and END_STREAM of its HEADERS frame, and the decoded list. */
export type CompletedBlock = { readonly streamId: number; readonly endStream: boolean; readonly headers: HeaderList };

const frame = (f: Frame): SimMapping => ({ type: 'frame', frame: f });
const unmapped = (reason: string): SimMapping => ({ type: 'unmapped', reason });

/** Maps a header block that just completed. */
export const headerBlockToSim = (b: CompletedBlock): SimMapping => {
  const kind = grpcHeadersKind(b.headers);
  if (kind === undefined) return unmapped('header list has none of :method, :status, grpc-status');
  return frame({ type: 'HEADERS', streamId: b.streamId, endStream: b.endStream, kind });
};

/**
 * Maps a frame that carries no header block, or reports why it cannot. DATA's `length` is the whole
 * payload, padding included (what flow control counts).
 */
export const wireFrameToSim = (f: WireFrame): SimMapping => {
  switch (f.type) {
    case 'DATA':
      return frame({ type: 'DATA', streamId: f.streamId, endStream: f.endStream, length: f.data.length + (f.padLength === undefined ? 0 : 1 + f.padLength) });
    case 'SETTINGS':
      return frame({ type: 'SETTINGS', ack: f.ack });
    case 'PING':
      return frame({ type: 'PING', ack: f.ack, payload: pingPayloadKind(f.opaqueData) });
    case 'RST_STREAM': {
      const code = codeName(f.errorCode);
      return code === undefined ? unmapped(`RST_STREAM error code ${f.errorCode} is not one the simulator models`) : frame({ type: 'RST_STREAM', streamId: f.streamId, code });
    }
    case 'GOAWAY': {
      const code = codeName(f.errorCode);
      if (code === undefined) return unmapped(`GOAWAY error code ${f.errorCode} is not one the simulator models`);
      return frame({ type: 'GOAWAY', lastStreamId: f.lastStreamId, code, debugData: new TextDecoder().decode(f.debugData) });
    }
    case 'WINDOW_UPDATE':
      return frame({ type: 'WINDOW_UPDATE', streamId: f.streamId, increment: f.increment });
    case 'HEADERS':
    case 'CONTINUATION':
    case 'PUSH_PROMISE':
      return unmapped(`${f.type} is mapped with its header block`);
    case 'PRIORITY':
      return unmapped('PRIORITY frames are not simulated (grpc-go ignores them)');
    case 'UNKNOWN':
      return unmapped(`frame type 0x${f.typeCode.toString(16)} is unknown (ignored, RFC 9113 section 4.1)`);
    default:
      return assertNever(f);
  }
};
