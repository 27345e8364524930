/**
 * Packet captures in and out: libpcap / pcapng readers, TCP reassembly, HTTP/2 frames from the
 * reassembled bytes, and a libpcap writer. Pure: bytes in, data out (the CLI reads the files).
 */
export { analyzeCapture, analyzeCaptureFile, type CaptureAnalysis, type CaptureSummary } from './analyze-capture.js';
export { CAPTURE_RULES, CaptureError, type CaptureRule } from './capture-error.js';
export { decodePacket, type PacketDecode, type SkippedPacket, type SkipReason } from './decode-packet.js';
export {
  decodeHttp2Connection,
  type CapturedDecodeError,
  type CapturedFrame,
  type ConnectionEnd,
  type DirectionReport,
  type Http2Connection,
} from './http2-connections.js';
export { DEFAULT_CLIENT, DEFAULT_EPOCH_NANOS, DEFAULT_SERVER, writePcap, type PcapTcpPacket, type PcapWriteOptions } from './pcap-writer.js';
export { writePcapng, type PcapngBlockSpec, type PcapngInterfaceSpec, type PcapngSectionSpec } from './pcapng-writer.js';
export { backwardTimestamps, monotoneClock, type BackwardTimestamps, type MonotoneClock } from './monotone-clock.js';
export { LINK_TYPES, type CaptureFile, type CaptureFormat, type CaptureInterface, type RawPacket } from './raw-packet.js';
export { readCapture } from './read-capture.js';
export type { Side } from './side.js';
export {
  createStreamReassembler,
  type DeliveredChunk,
  type DirectionStream,
  type GapCause,
  type StreamCounts,
  type StreamGap,
} from './stream-reassembler.js';
export { reassembleConnections, type ConnectionOpening, type Endpoint, type TcpConnection } from './tcp-connections.js';
export { withHandshake, type HandshakeOptions, type RelativeSegment } from './tcp-script.js';
export type { TcpFlags, TcpSegment } from './tcp-segment.js';
