/**
 * HTTP/2 frames as they appear on the wire (RFC 9113 section 6), one variant per frame type,
 * holding every field the wire carries. Flags are not stored as a bit set: each defined flag is a
 * boolean, and PADDED / PRIORITY are implied by the presence of `padLength` / `priority`.
 *
 * Frames whose stream identifier must be 0 (SETTINGS, PING, GOAWAY) carry no `streamId`.
 * Stream identifiers are 31-bit; the reserved high bit is masked on decode (section 4.1).
 */

/** Stream dependency fields of HEADERS (PRIORITY flag) and PRIORITY frames (section 5.3.1, 6.3). */
export type PrioritySpec = {
  readonly exclusive: boolean;
  /** 31-bit stream identifier this stream depends on. */
  readonly streamDependency: number;
  /** Priority weight 1..256; the wire carries `weight - 1` in one octet. */
  readonly weight: number;
};

export type DataFrame = {
  readonly type: 'DATA';
  readonly streamId: number;
  readonly endStream: boolean;
  /** Present iff the PADDED flag is set; number of zero padding octets (0..255). */
  readonly padLength?: number;
  readonly data: Uint8Array;
};

export type HeadersFrame = {
  readonly type: 'HEADERS';
  readonly streamId: number;
  readonly endStream: boolean;
  readonly endHeaders: boolean;
  /** Present iff the PADDED flag is set. */
  readonly padLength?: number;
  /** Present iff the PRIORITY flag is set. */
  readonly priority?: PrioritySpec;
  readonly headerBlockFragment: Uint8Array;
};

export type PriorityFrame = {
  readonly type: 'PRIORITY';
  readonly streamId: number;
} & PrioritySpec;

export type RstStreamFrame = {
  readonly type: 'RST_STREAM';
  readonly streamId: number;
  /** 32-bit error code (section 7). */
  readonly errorCode: number;
};

/** One SETTINGS parameter: 16-bit identifier, 32-bit value (section 6.5.1). */
export type Setting = { readonly id: number; readonly value: number };

export type SettingsFrame = {
  readonly type: 'SETTINGS';
  readonly ack: boolean;
  /** In wire order; unknown identifiers are kept (the receiver ignores them, section 6.5.2). */
  readonly settings: readonly Setting[];
};

export type PushPromiseFrame = {
  readonly type: 'PUSH_PROMISE';
  readonly streamId: number;
  readonly endHeaders: boolean;
  /** Present iff the PADDED flag is set. */
  readonly padLength?: number;
  readonly promisedStreamId: number;
  readonly headerBlockFragment: Uint8Array;
};

export type PingFrame = {
  readonly type: 'PING';
  readonly ack: boolean;
  /** Exactly 8 octets. */
  readonly opaqueData: Uint8Array;
};

export type GoAwayFrame = {
  readonly type: 'GOAWAY';
  readonly lastStreamId: number;
  readonly errorCode: number;
  readonly debugData: Uint8Array;
};

export type WindowUpdateFrame = {
  readonly type: 'WINDOW_UPDATE';
  readonly streamId: number;
  /** 31-bit window size increment. */
  readonly increment: number;
};

export type ContinuationFrame = {
  readonly type: 'CONTINUATION';
  readonly streamId: number;
  readonly endHeaders: boolean;
  readonly headerBlockFragment: Uint8Array;
};

/** A frame of a type this codec does not know; receivers ignore it (section 4.1, 5.5). */
export type UnknownFrame = {
  readonly type: 'UNKNOWN';
  readonly typeCode: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Uint8Array;
};

export type WireFrame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoAwayFrame
  | WindowUpdateFrame
  | ContinuationFrame
  | UnknownFrame;

export type KnownFrameType = Exclude<WireFrame['type'], 'UNKNOWN'>;

/** Frame type codes (section 6, table in section 11.2). */
export const FRAME_TYPE_CODES = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const satisfies Record<KnownFrameType, number>;

/** Flag bits (section 6). Bits not defined for a frame type are ignored on decode, never set on encode. */
export const FLAGS = {
  END_STREAM: 0x01,
  ACK: 0x01,
  END_HEADERS: 0x04,
  PADDED: 0x08,
  PRIORITY: 0x20,
} as const;

const TYPE_BY_CODE: ReadonlyMap<number, KnownFrameType> = new Map(
  (Object.entries(FRAME_TYPE_CODES) as [KnownFrameType, number][]).map(([name, code]) => [code, name]),
);

/** The known frame type for a type code, or undefined for an extension/unknown type. */
export const knownFrameType = (typeCode: number): KnownFrameType | undefined => TYPE_BY_CODE.get(typeCode);
