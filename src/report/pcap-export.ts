import { withHandshake, writePcap, type RelativeSegment } from '../capture/capture.js';
import type { Actor } from '../conn/types.js';
import type { PacketRecord } from '../sim/packet-record.js';
import type { Nanos } from '../time/units.js';

export type PcapExportOptions = {
  /** Whose host the capture is taken on: its packets appear when they leave, the peer's when they arrive (lost ones never). @default 'server' */
  readonly at?: Actor;
  /** Spacing of the three-way handshake laid out before time 0. @default 1 ms */
  readonly handshakeStep?: Nanos;
};

/** Bytes of each side's stream, by offset: the concatenated wire bytes of every frame it wrote. */
export type StreamBytes = Readonly<Record<Actor, Uint8Array>>;

/** Each side's stream octets, rebuilt from the frames the data packets carried (their `bytes`). */
export function streamBytes(packets: readonly PacketRecord[]): StreamBytes {
  const size: Record<Actor, number> = { client: 0, server: 0 };
  for (const p of packets) for (const f of p.frames ?? []) size[p.from] = Math.max(size[p.from], f.end);
  const out: Record<Actor, Uint8Array> = { client: new Uint8Array(size.client), server: new Uint8Array(size.server) };
  for (const p of packets) {
    for (const f of p.frames ?? []) {
      if (f.bytes === undefined) throw new Error(`pcap export: frame at offset ${f.start} of the ${p.from} has no octets (run with a packet observer)`);
      out[p.from].set(f.bytes, f.start);
    }
  }
  return out;
}

/**
 * A simulated connection as a libpcap file, as tcpdump on one host would have recorded it:
 * Ethernet/IPv4/TCP with real sequence and acknowledgement numbers (relative numbers from the TCP
 * model plus initial sequence numbers), a three-way handshake before the first packet, every
 * transmission and retransmission, pure ACKs, keepalive probes, FIN and RST; timestamps from the
 * virtual clock. Payload bytes are the frames' real RFC 9113 encoding (`streams`).
 * SIMPLIFICATION: the model has no handshake (both sockets exist from time 0); the SYN, SYN-ACK
 * and ACK are laid out `handshakeStep` apart just before the run's time 0, not before the first
 * packet the capturing host saw: on a slow link that packet may come hours later (at 1 bit/s a
 * bare 52-byte header takes 416 s), and a handshake there would move time 0 of anything that
 * reads the file (tshark's relative times, `kpsim replay`) by as much. So tshark's relative
 * times run 3 steps (3 ms) ahead of the run's, whatever the rates; the packets' own times are
 * unchanged. TCP options and window scaling are not written.
 */
export function renderPcap(packets: readonly PacketRecord[], options: PcapExportOptions = {}): Uint8Array {
  const streams = streamBytes(packets);
  const host = options.at ?? 'server';
  const step = options.handshakeStep ?? 1_000_000;
  const segs: (RelativeSegment & { readonly order: number })[] = [];
  packets.forEach((p, order) => {
    const at = p.from === host ? p.departAt : p.arriveAt;
    if (at === undefined) return; // Lost before it reached the capturing host.
    const base = { at, from: p.from, seq: p.seq, ack: p.ack, order };
    switch (p.kind) {
      case 'data':
        segs.push({ ...base, psh: true, ...(p.fin === true ? { fin: true } : {}), payload: streams[p.from].subarray(p.seq, p.seq + p.len) });
        return;
      case 'fin':
        segs.push({ ...base, fin: true });
        return;
      case 'rst':
        segs.push({ ...base, rst: true });
        return;
      case 'ack':
      case 'keepalive':
        segs.push(base);
        return;
    }
  });
  // In capture order: by time, then in the order the model made them.
  segs.sort((a, b) => a.at - b.at || a.order - b.order);
  return writePcap(withHandshake(segs, { synAt: -3 * step, step }));
}
