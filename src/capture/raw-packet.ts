import type { Nanos } from '../time/units.js';

/** Link-layer header types (https://www.tcpdump.org/linktypes.html) the decoder understands. */
export const LINK_TYPES = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** One capture interface: the file header of a libpcap file, or one pcapng IDB. */
export type CaptureInterface = {
  /** 0-based pcapng section (always 0 for libpcap). */
  readonly section: number;
  readonly linkType: number;
  /** 0 means "no limit" in pcapng. */
  readonly snaplen: number;
  /** Nanoseconds per timestamp unit as a rational `num / den` (1/1000 for microseconds). */
  readonly tsUnit: { readonly num: bigint; readonly den: bigint };
  /** if_tsoffset: seconds added to every timestamp. */
  readonly tsOffsetSeconds: bigint;
  readonly name?: string;
};

/** One packet record as stored in the file, before any protocol decoding. */
export type RawPacket = {
  /** 0-based position in the file; Wireshark's frame number minus 1. */
  readonly index: number;
  /** Byte offset of the record (libpcap) or block (pcapng) in the file. */
  readonly fileOffset: number;
  /** Index into CaptureFile.interfaces. */
  readonly interfaceId: number;
  readonly linkType: number;
  /** Absolute capture time, nanoseconds since the Unix epoch (for display). */
  readonly epochNanos: bigint;
  /** Capture time relative to the first packet in the file (may be negative if the file is not in time order). */
  readonly at: Nanos;
  /** Length of the packet on the wire. */
  readonly originalLength: number;
  /** The captured bytes (a view into the input). */
  readonly data: Uint8Array;
  /** The snapshot length cut the packet: data.length < originalLength. */
  readonly truncated: boolean;
  /**
   * A pcapng Simple Packet Block carries no timestamp; it gets the previous packet's time (or the
   * epoch when it is first). SIMPLIFICATION: an inferred time, flagged here.
   */
  readonly timestampInferred?: true;
};

export type CaptureFormat = 'pcap' | 'pcapng';

export type CaptureFile = {
  readonly format: CaptureFormat;
  readonly interfaces: readonly CaptureInterface[];
  readonly packets: readonly RawPacket[];
  /** Absolute time of the first packet (the zero of every `at`); 0n when there are no packets. */
  readonly startEpochNanos: bigint;
};

/** A packet as a format reader yields it, before relative times are known. */
export type RecordedPacket = Omit<RawPacket, 'at' | 'index'>;
