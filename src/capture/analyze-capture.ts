import { decodePacket, type SkipReason, type SkippedPacket } from './decode-packet.js';
import { decodeHttp2Connection, type Http2Connection } from './http2-connections.js';
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
};

/** Already-read capture -> TCP connections -> HTTP/2 frames. Never throws. */
export const analyzeCaptureFile = (file: CaptureFile): CaptureAnalysis => {
  const segments: TcpSegment[] = [];
  const skipped: SkippedPacket[] = [];
  const counts: Record<SkipReason, number> = { 'link-type': 0, 'not-ip': 0, 'not-tcp': 0, 'ip-fragment': 0, malformed: 0, truncated: 0 };
  for (const raw of file.packets) {
    const d = decodePacket(raw);
    if (d.kind === 'tcp') segments.push(d.segment);
    else {
      skipped.push({ packet: d.packet, at: d.at, reason: d.reason, detail: d.detail });
      counts[d.reason]++;
    }
  }
  return {
    file,
    summary: {
      packets: file.packets.length,
      tcpSegments: segments.length,
      truncatedPackets: file.packets.filter((p) => p.truncated).length,
      skipped: counts,
    },
    skipped,
    connections: reassembleConnections(segments).map(decodeHttp2Connection),
  };
};

/** Capture file bytes -> analysis. Throws CaptureError when the file cannot be read, nothing else. */
export const analyzeCapture = (bytes: Uint8Array): CaptureAnalysis => analyzeCaptureFile(readCapture(bytes));
