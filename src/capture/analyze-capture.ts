import { decodePacket, type SkipReason, type SkippedPacket } from './decode-packet.js';
import { decodeHttp2Connection, type Http2Connection } from './http2-connections.js';
import { backwardTimestamps, monotoneClock, type BackwardTimestamps } from './monotone-clock.js';
import type { CaptureFile } from './raw-packet.js';
import { readCapture } from './read-capture.js';
import { reassembleConnections } from './tcp-connections.js';
import type { TcpSegment } from './tcp-segment.js';

export type CaptureSummary = {
  readonly packets: number;
  readonly tcpSegments: number;
  /** Packets the snapshot length cut short. */
  readonly truncatedPackets: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
};

export type CaptureAnalysis = {
  readonly file: CaptureFile;
  readonly summary: CaptureSummary;
  /** Packets that gave no TCP segment, with the reason. */
  readonly skipped: readonly SkippedPacket[];
  /** Every TCP connection, HTTP/2 or not, in order of first packet. */
  readonly connections: readonly Http2Connection[];
  /**
   * Packets stamped earlier than a packet before them in the file; absent when the file is in time
   * order. The analysis keeps the file's order and takes each at the latest time before it
   * (monotone-clock.ts): every time in `connections` and `skipped` is that time.
   */
  readonly backwardTimestamps?: BackwardTimestamps;
};

/** Already-read capture -> TCP connections -> HTTP/2 frames. Never throws. */
export const analyzeCaptureFile = (file: CaptureFile): CaptureAnalysis => {
  const segments: TcpSegment[] = [];
  const skipped: SkippedPacket[] = [];
  const counts: Record<SkipReason, number> = { 'link-type': 0, 'not-ip': 0, 'not-tcp': 0, 'ip-fragment': 0, malformed: 0, truncated: 0 };
  const clock = monotoneClock(file.packets);
  file.packets.forEach((raw, position) => {
    const at = clock.at[position] ?? raw.at;
    const d = decodePacket(at === raw.at ? raw : { ...raw, at });
    if (d.kind === 'tcp') segments.push(d.segment);
    else {
      skipped.push({ packet: d.packet, at: d.at, reason: d.reason, detail: d.detail });
      counts[d.reason]++;
    }
  });
  const backward = backwardTimestamps(clock, clock.raisedBy.keys());
  return {
    file,
    summary: {
      packets: file.packets.length,
      tcpSegments: segments.length,
      truncatedPackets: file.packets.filter((p) => p.truncated).length,
      skipped: counts,
    },
    skipped,
    connections: reassembleConnections(segments).map((tcp) => {
      const b = backwardTimestamps(clock, tcp.segments.map((x) => x.packet));
      return { ...decodeHttp2Connection(tcp), ...(b === undefined ? {} : { backwardTimestamps: b }) };
    }),
    ...(backward === undefined ? {} : { backwardTimestamps: backward }),
  };
};

/** Capture file bytes -> analysis. Throws CaptureError when the file cannot be read, nothing else. */
export const analyzeCapture = (bytes: Uint8Array): CaptureAnalysis => analyzeCaptureFile(readCapture(bytes));
