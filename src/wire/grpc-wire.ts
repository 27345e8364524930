/**
 * gRPC over real HTTP/2 bytes: HPACK header blocks, gRPC header lists, message prefixes, grpc-go's
 * PING payloads and SETTINGS, and the writer/reader that convert between simulator Frames and
 * RFC 9113 octets. The frame codec itself is in frame-codec.ts.
 */
export { createWireWriter, type EncodeHint, type WireWriter } from './wire-writer.js';
export { createWireReader, simFrames, type WireReadItem, type WireReader, type WireReaderOptions } from './wire-reader.js';
export { DEFAULT_AUTHORITY, DEFAULT_PATH, wireOptionsFromScenario, type WireWriterOptions } from './wire-options.js';
export { SIM_ERROR_CODES, headerBlockToSim, wireFrameToSim, type CompletedBlock, type SimMapping } from './sim-mapping.js';
export {
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_MAX_HEADER_COUNT,
  DEFAULT_MAX_HEADER_LIST_SIZE,
  createHpackDecoder,
  createHpackEncoder,
  huffmanLength,
  type HpackDecoder,
  type HpackDecoderOptions,
  type HpackEncoder,
  type HpackEncoderOptions,
} from './hpack-codec.js';
export { HpackError } from './hpack-error.js';
export { HPACK_RULES, HPACK_RULE_NAMES, type HpackRule } from './hpack-rule.js';
export { checkFieldSection, headerListSize, headerValue, type HeaderField, type HeaderList } from './header-list.js';
export { headerBlockFrames } from './header-block-frames.js';
export * from './grpc-headers.js';
export * from './grpc-message.js';
export * from './grpc-ping.js';
export * from './grpc-settings.js';
