import type { Actor } from '../conn/types.js';
import { GRPC_WARNING_LOG_ENV, type ClampWarning } from '../keepalive/params.js';
import type { RunHead } from '../sim/world.js';
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
export function settingsNs(result: RunHead): { readonly server: ServerSettingsNs; readonly client: ClientSettingsNs } {
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
export function settingsMs(result: RunHead): { readonly server: ServerSettingsMs; readonly client: ClientSettingsMs } {
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

/** A keepalive Time grpc-go raised to its floor, for the JSON outputs (times in ms). */
export type ClampWarningJson = {
  readonly side: Actor;
  /** `null`: Time was not set (WithKeepaliveParams with Time 0 still raises it). */
  readonly requestedMs: number | null;
  readonly appliedMs: number;
  readonly log: string;
  readonly source: ClampWarning['source'];
  /** What makes grpc-go's default logger print it. */
  readonly printedWith: string;
};

/** The clamp warnings of a run, server first. */
export function clampWarningsJson(result: RunHead): ClampWarningJson[] {
  const out: ClampWarningJson[] = [];
  for (const [side, w] of [['server', result.serverConfig.clamped], ['client', result.clientConfig.clamped]] as const) {
    if (w === undefined) continue;
    out.push({ side, requestedMs: toMsOrNull(w.requested), appliedMs: toMs(w.applied), log: w.log, source: w.source, printedWith: GRPC_WARNING_LOG_ENV });
  }
  return out;
}
