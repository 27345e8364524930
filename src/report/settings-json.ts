import type { RunResult } from '../sim/world.js';
import { toMs, type Nanos } from '../time/units.js';
import { toMsOrNull } from './clock-format.js';

/**
 * The keepalive settings each side ran with (after grpc-go's defaults, floors and jitter), as
 * plain JSON objects with a fixed key order. `null` is grpc-go's "infinity" (or, for the client's
 * `time`, keepalive off).
 */

export type ServerSettingsNs = {
  readonly version: string;
  readonly time: Nanos;
  readonly timeout: Nanos;
  readonly maxConnectionIdle: Nanos | null;
  readonly maxConnectionAge: Nanos | null;
  readonly maxConnectionAgeGrace: Nanos | null;
  readonly minTime: Nanos;
  readonly permitWithoutStream: boolean;
  readonly tcpUserTimeout: Nanos | null;
};

export type ClientSettingsNs = {
  readonly version: string;
  readonly time: Nanos | null;
  readonly timeout: Nanos;
  readonly permitWithoutStream: boolean;
  readonly tcpUserTimeout: Nanos | null;
};

export type ServerSettingsMs = {
  readonly version: string;
  readonly timeMs: number;
  readonly timeoutMs: number;
  readonly maxConnectionIdleMs: number | null;
  readonly maxConnectionAgeMs: number | null;
  readonly maxConnectionAgeGraceMs: number | null;
  readonly minTimeMs: number;
  readonly permitWithoutStream: boolean;
  readonly tcpUserTimeoutMs: number | null;
};

export type ClientSettingsMs = {
  readonly version: string;
  readonly timeMs: number | null;
  readonly timeoutMs: number;
  readonly permitWithoutStream: boolean;
  readonly tcpUserTimeoutMs: number | null;
};

/** Settings in integer nanoseconds, for the JSON-lines trace. */
export function settingsNs(result: RunResult): { readonly server: ServerSettingsNs; readonly client: ClientSettingsNs } {
  const s = result.serverConfig;
  const c = result.clientConfig;
  return {
    server: {
      version: result.scenario.server.version,
      time: s.time,
      timeout: s.timeout,
      maxConnectionIdle: s.maxConnectionIdle ?? null,
      maxConnectionAge: s.maxConnectionAge ?? null,
      maxConnectionAgeGrace: s.maxConnectionAgeGrace ?? null,
      minTime: s.minTime,
      permitWithoutStream: s.permitWithoutStream,
      tcpUserTimeout: s.tcpUserTimeout ?? null,
    },
    client: {
      version: result.scenario.client.version,
      time: c.time ?? null,
      timeout: c.timeout,
      permitWithoutStream: c.permitWithoutStream,
      tcpUserTimeout: c.tcpUserTimeout ?? null,
    },
  };
}

/** Settings in (virtual) milliseconds, for `kpsim run --json`. */
export function settingsMs(result: RunResult): { readonly server: ServerSettingsMs; readonly client: ClientSettingsMs } {
  const s = result.serverConfig;
  const c = result.clientConfig;
  return {
    server: {
      version: result.scenario.server.version,
      timeMs: toMs(s.time),
      timeoutMs: toMs(s.timeout),
      maxConnectionIdleMs: toMsOrNull(s.maxConnectionIdle),
      maxConnectionAgeMs: toMsOrNull(s.maxConnectionAge),
      maxConnectionAgeGraceMs: toMsOrNull(s.maxConnectionAgeGrace),
      minTimeMs: toMs(s.minTime),
      permitWithoutStream: s.permitWithoutStream,
      tcpUserTimeoutMs: toMsOrNull(s.tcpUserTimeout),
    },
    client: {
      version: result.scenario.client.version,
      timeMs: toMsOrNull(c.time),
      timeoutMs: toMs(c.timeout),
      permitWithoutStream: c.permitWithoutStream,
      tcpUserTimeoutMs: toMsOrNull(c.tcpUserTimeout),
    },
  };
}
