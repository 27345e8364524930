import { decodePacket } from '../../src/capture/decode-packet.js';
import { decodeHttp2Connection, type CapturedFrame } from '../../src/capture/http2-connections.js';
import { readCapture } from '../../src/capture/read-capture.js';
import { reassembleConnections } from '../../src/capture/tcp-connections.js';
import type { TcpSegment } from '../../src/capture/tcp-segment.js';
import type { Actor } from '../../src/conn/types.js';
import { frameCountKey } from '../../src/frames/frame.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { pingPayloadKind } from '../../src/wire/grpc-ping.js';
import type { WireFrame } from '../../src/wire/wire-frame.js';
import type { KernelRun } from './run-case.js';

/**
 * What crossed the wire, one record per segment a host sent, in the same terms for a real
 * capture and for kpsim's packet observer, so the two can be compared transmission by
 * transmission: when it left (ns from the connect), what it was, which frames its bytes carry,
 * and whether those bytes had been sent before.
 */
export type WireEvent = {
  readonly t: number;
  readonly from: Actor;
  readonly kind: 'data' | 'fin' | 'rst' | 'probe' | 'ack';
  /** Frames whose bytes the segment carries, by kind ("PING", "PING_ACK", "DATA", ...), joined with "+". */
  readonly frames: string;
  /** Those frames' ends in the sender's byte stream (a frame is sent when its last byte is). */
  readonly frameEnds: readonly { readonly label: string; readonly end: number }[];
  /** First sequence number (relative: 0 is the first data byte). */
  readonly seq: number;
  readonly retransmission: boolean;
  /** Data bytes carried (0 for control segments). */
  readonly len: number;
  /** The segment carries a FIN too (data + FIN). */
  readonly fin: boolean;
};

/** kpsim's names for frame kinds, with the PING payload for PINGs: "PING(keepalive)", "PING_ACK(bdp)". */
export function frameLabel(type: string, ack: boolean, payload?: string): string {
  const key = ack && (type === 'PING' || type === 'SETTINGS') ? `${type}_ACK` : type;
  return payload === undefined ? key : `${key}(${payload})`;
}

function wireLabel(f: WireFrame): string {
  if (f.type === 'PING') return frameLabel('PING', f.ack, pingPayloadKind(f.opaqueData));
  if (f.type === 'SETTINGS') return frameLabel('SETTINGS', f.ack);
  return f.type;
}

/** The segments `side` sent on the run's first connection, from its own capture. */
export function realWireEvents(run: KernelRun, side: Actor): WireEvent[] {
  const file = readCapture(run.pcap[side]);
  const segments: TcpSegment[] = [];
  for (const raw of file.packets) {
    const d = decodePacket(raw);
    if (d.kind === 'tcp') segments.push(d.segment);
  }
  const dial = run.events.find((e) => e.side === 'client' && e.ev === 'dialed');
  const clientPort = dial === undefined ? undefined : Number(String(dial['local']).split(':').pop());
  const conn = reassembleConnections(segments).find((c) => c.initiator.port === clientPort);
  if (conn === undefined) return [];
  const h2 = decodeHttp2Connection(conn);
  const me = side === 'client' ? conn.initiator : conn.responder;
  // The capture's clock is the wall clock; run time counts from the connect.
  const base = Number(BigInt(run.epochUnixNs) + BigInt(run.connectAt) - file.startEpochNanos);
  const mine = segments.filter((s) => s.src === me.address && s.srcPort === me.port && (s.dstPort === (side === 'client' ? conn.responder.port : conn.initiator.port)));
  const syn = mine.find((s) => s.flags.syn);
  if (syn === undefined) return [];
  const isn = syn.seq;
  const frames = h2.frames.filter((f) => f.from === side);
  const out: WireEvent[] = [];
  let maxEnd = 0;
  for (const s of mine) {
    if (s.flags.syn) continue;
    const rel = (s.seq - isn - 1 + 2 ** 32) % 2 ** 32;
    const len = s.payloadLength;
    const end = rel + len;
    const t = s.at - base;
    let kind: WireEvent['kind'];
    if (s.flags.rst) kind = 'rst';
    else if (len > 0) kind = 'data';
    else if (s.flags.fin) kind = 'fin';
    else if (rel + 1 === maxEnd && rel < maxEnd) kind = 'probe';
    else kind = 'ack';
    const retransmission = (kind === 'data' && end <= maxEnd) || (kind === 'fin' && rel < maxEnd);
    if (kind === 'data' || kind === 'fin') maxEnd = Math.max(maxEnd, end + (s.flags.fin ? 1 : 0));
    const carried = kind === 'data' ? framesIn(frames, rel, end) : [];
    out.push({ t, from: side, kind, frames: carried.map((f) => f.label).join('+'), frameEnds: carried, seq: rel, retransmission, len: kind === 'data' ? len : 0, fin: kind === 'data' && s.flags.fin });
  }
  return out;
}

/** Frames whose bytes overlap [start, end) of the sender's stream. */
function framesIn(frames: readonly CapturedFrame[], start: number, end: number): { label: string; end: number }[] {
  const out: { label: string; end: number }[] = [];
  for (const f of frames) {
    const fEnd = f.offset + 9 + frameLength(f.frame);
    if (f.offset < end && start < fEnd) out.push({ label: wireLabel(f.frame), end: fEnd });
  }
  return out;
}

function frameLength(f: WireFrame): number {
  switch (f.type) {
    case 'DATA':
      return f.data.length + (f.padLength === undefined ? 0 : f.padLength + 1);
    case 'HEADERS':
      return f.headerBlockFragment.length + (f.padLength === undefined ? 0 : f.padLength + 1) + (f.priority === undefined ? 0 : 5);
    case 'PING':
      return 8;
    case 'SETTINGS':
      return 6 * f.settings.length;
    case 'WINDOW_UPDATE':
      return 4;
    case 'RST_STREAM':
      return 4;
    case 'GOAWAY':
      return 8 + f.debugData.length;
    default:
      return 0;
  }
}

/** The same records from kpsim's packet observer. */
export function modelWireEvents(records: readonly PacketRecord[], side: Actor): WireEvent[] {
  const out: WireEvent[] = [];
  let maxEnd = 0;
  for (const r of records) {
    if (r.from !== side) continue;
    let kind: WireEvent['kind'];
    switch (r.kind) {
      case 'data':
        kind = 'data';
        break;
      case 'fin':
        kind = 'fin';
        break;
      case 'rst':
        kind = 'rst';
        break;
      case 'keepalive':
        kind = 'probe';
        break;
      default:
        kind = 'ack';
    }
    const end = r.seq + r.len;
    const retransmission = (kind === 'data' && end <= maxEnd) || (kind === 'fin' && r.seq < maxEnd);
    if (kind === 'data' || kind === 'fin') maxEnd = Math.max(maxEnd, end + (r.fin === true ? 1 : 0));
    const carried = kind === 'data' ? (r.frames ?? []).map((s) => ({ label: s.frame.type === 'PING' ? frameLabel('PING', s.frame.ack, s.frame.payload) : frameCountKey(s.frame), end: s.end })) : [];
    out.push({ t: r.departAt, from: side, kind, frames: carried.map((f) => f.label).join('+'), frameEnds: carried, seq: r.seq, retransmission, len: kind === 'data' ? r.len : 0, fin: r.fin === true });
  }
  return out;
}

/** Each frame, when the segment carrying its last byte first left (the preface is no frame). */
export function firstFrames(events: readonly WireEvent[]): { label: string; t: number }[] {
  const out: { label: string; t: number; end: number }[] = [];
  const seen = new Set<number>();
  for (const e of events) {
    if (e.kind !== 'data') continue;
    for (const f of e.frameEnds) {
      if (seen.has(f.end) || !(e.seq < f.end && f.end <= e.seq + e.len)) continue;
      seen.add(f.end);
      out.push({ label: f.label, t: e.t, end: f.end });
    }
  }
  return out.sort((a, b) => a.end - b.end);
}
