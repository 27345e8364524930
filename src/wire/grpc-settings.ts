/**
 * The SETTINGS grpc-go sends right after the connection preface, and the connection WINDOW_UPDATE
 * that follows it when the connection window is raised (http2_client.go newHTTP2Client,
 * http2_server.go NewServerTransport; the same from v1.20.0 to v1.83.0).
 *
 * Client: INITIAL_WINDOW_SIZE when InitialWindowSize is set (>= 65535, != 65535), then
 * MAX_HEADER_LIST_SIZE when set. With the defaults its SETTINGS frame is empty (9 octets).
 * Server: MAX_FRAME_SIZE = 16384 always, then MAX_CONCURRENT_STREAMS when limited,
 * INITIAL_WINDOW_SIZE, MAX_HEADER_LIST_SIZE, HEADER_TABLE_SIZE when set (15 octets by default).
 * Window sizes below 65535 are ignored by grpc-go (the dynamic window stays on).
 */
import { DEFAULT_MAX_FRAME_SIZE } from './frame-header.js';
import { SETTINGS_IDS } from './settings-payload.js';
import type { Setting } from './wire-frame.js';

export type WireSide = 'client' | 'server';

/** RFC 9113 initial window (65535), grpc-go's defaultWindowSize. */
export const DEFAULT_WINDOW_SIZE = 65_535;

export type GrpcSettingsOptions = {
  /** InitialWindowSize / InitialConnWindowSize; ignored below 65535 as grpc-go does. */
  readonly window?: { readonly stream?: number | undefined; readonly connection?: number | undefined };
  /** MaxHeaderListSize dial/server option; the setting is sent only when this is set. */
  readonly maxHeaderListSize?: number;
  /** Server only: MaxConcurrentStreams; sent only when set. */
  readonly maxConcurrentStreams?: number;
  /** Server only: HeaderTableSize option; sent only when set. */
  readonly headerTableSize?: number;
};

const effective = (size: number | undefined): number =>
  size !== undefined && size >= DEFAULT_WINDOW_SIZE ? size : DEFAULT_WINDOW_SIZE;

/** The parameters of `side`'s first SETTINGS frame, in grpc-go's order. */
export const grpcInitialSettings = (side: WireSide, o: GrpcSettingsOptions = {}): Setting[] => {
  const out: Setting[] = [];
  const streamWindow = effective(o.window?.stream);
  if (side === 'server') {
    out.push({ id: SETTINGS_IDS.MAX_FRAME_SIZE, value: DEFAULT_MAX_FRAME_SIZE });
    if (o.maxConcurrentStreams !== undefined) out.push({ id: SETTINGS_IDS.MAX_CONCURRENT_STREAMS, value: o.maxConcurrentStreams });
  }
  if (streamWindow !== DEFAULT_WINDOW_SIZE) out.push({ id: SETTINGS_IDS.INITIAL_WINDOW_SIZE, value: streamWindow });
  if (o.maxHeaderListSize !== undefined) out.push({ id: SETTINGS_IDS.MAX_HEADER_LIST_SIZE, value: o.maxHeaderListSize });
  if (side === 'server' && o.headerTableSize !== undefined) out.push({ id: SETTINGS_IDS.HEADER_TABLE_SIZE, value: o.headerTableSize });
  return out;
};

/** The increment of the connection WINDOW_UPDATE sent after SETTINGS, or undefined when none is sent. */
export const grpcInitialConnWindowIncrement = (o: GrpcSettingsOptions = {}): number | undefined => {
  const delta = effective(o.window?.connection) - DEFAULT_WINDOW_SIZE;
  return delta > 0 ? delta : undefined;
};
