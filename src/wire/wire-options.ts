/**
 * What the wire writer needs beyond a sim Frame to produce real bytes, with the defaults it uses,
 * and how a scenario fills them in.
 */
import { DEFAULT_GRPC_GO_VERSION } from '../keepalive/versions.js';
import type { Scenario } from '../scenario/schema.js';
import type { GrpcStatus } from './grpc-headers.js';
import type { GrpcSettingsOptions, WireSide } from './grpc-settings.js';

export type WireWriterOptions = GrpcSettingsOptions & {
  /** grpc-go release for the User-Agent. @default DEFAULT_GRPC_GO_VERSION */
  readonly version?: string;
  /** Replaces the whole User-Agent. @default `grpc-go/${version}` */
  readonly userAgent?: string;
  /** :path of every request. @default '/kpsim.Echo/Stream' */
  readonly path?: string;
  /** :authority of every request. @default 'kpsim.test:50051' */
  readonly authority?: string;
  /**
   * grpc-timeout of every request, in nanoseconds; none when absent. SIMPLIFICATION: grpc-go sends
   * the time left until the deadline, measured per call, so real values differ call to call.
   */
  readonly timeout?: number;
  /** Status in every trailers block. @default { code: 0, message: '' } */
  readonly status?: GrpcStatus;
  /** The peer's SETTINGS_HEADER_TABLE_SIZE: our encoder's dynamic table. @default 4096 */
  readonly peerHeaderTableSize?: number;
  /** Largest HEADERS/CONTINUATION/DATA payload written. @default 16384 (grpc-go's http2MaxFrameLen) */
  readonly maxFrameSize?: number;
};

export const DEFAULT_PATH = '/kpsim.Echo/Stream';
export const DEFAULT_AUTHORITY = 'kpsim.test:50051';

/** The writer options a scenario implies for one side: its grpc-go version and window settings. */
export const wireOptionsFromScenario = (sc: Scenario, side: WireSide): WireWriterOptions => {
  const end = side === 'client' ? sc.client : sc.server;
  return { version: end.version, window: { stream: end.window.stream, connection: end.window.connection } };
};

export { DEFAULT_GRPC_GO_VERSION };
