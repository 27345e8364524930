import { HOUR, MINUTE, SECOND, type Nanos } from '../time/units.js';
import type { Rng } from '../time/rng.js';
import type { GrpcGoFeatures } from './versions.js';

/**
 * Settings as a user writes them (grpc-go's `keepalive.ServerParameters`, `EnforcementPolicy`,
 * `ClientParameters`). `undefined` and 0 both mean "use the default", as in Go.
 */
export type ServerParameters = {
  readonly time?: Nanos | undefined;
  readonly timeout?: Nanos | undefined;
  readonly maxConnectionIdle?: Nanos | undefined;
  readonly maxConnectionAge?: Nanos | undefined;
  readonly maxConnectionAgeGrace?: Nanos | undefined;
};
export type EnforcementPolicy = {
  readonly minTime?: Nanos | undefined;
  readonly permitWithoutStream?: boolean | undefined;
};
export type ClientParameters = {
  /** `undefined` or 0: keepalive off (grpc-go's default client Time is infinity). */
  readonly time?: Nanos | undefined;
  readonly timeout?: Nanos | undefined;
  readonly permitWithoutStream?: boolean | undefined;
};

/** Upstream defaults, internal/transport/defaults.go (unchanged across modelled versions). */
export const DEFAULTS = {
  serverKeepaliveTime: 2 * HOUR,
  serverKeepaliveTimeout: 20 * SECOND,
  clientKeepaliveTimeout: 20 * SECOND,
  keepalivePolicyMinTime: 5 * MINUTE,
  /** server.go KeepaliveParams: Time below 1 s is raised to 1 s. */
  minServerTime: SECOND,
  /** dialoptions.go WithKeepaliveParams: Time below 10 s is raised to 10 s. */
  minClientTime: 10 * SECOND,
} as const;

/**
 * grpc-go raised a keepalive Time below its public API's floor, and said so in its log: a
 * warning through grpclog, which the default logger prints only when GRPC_GO_LOG_SEVERITY_LEVEL
 * is `warning` or `info` (grpclog/loggerv2.go newLoggerV2: unset means errors only). The same
 * text in every modelled release (v1.33 to v1.83). `requested` undefined: Time was not set.
 */
export type ClampWarning = {
  readonly requested: Nanos | undefined;
  readonly applied: Nanos;
  /** grpc-go's message, as its logger prints it after the severity and date. */
  readonly log: string;
  /** Where upstream does it. */
  readonly source: 'server.go KeepaliveParams' | 'dialoptions.go WithKeepaliveParams';
};

/** The environment that makes grpc-go's default logger print a warning. */
export const GRPC_WARNING_LOG_ENV = 'GRPC_GO_LOG_SEVERITY_LEVEL=warning (or info)';

/** Go's %v of a whole number of seconds (time.Duration.String): `10s`. */
function goSeconds(ns: Nanos): string {
  return `${ns / SECOND}s`;
}

/** Normalised server keepalive settings; `undefined` is grpc-go's `infinity`. */
export type ServerKeepaliveConfig = {
  readonly time: Nanos;
  readonly timeout: Nanos;
  readonly maxConnectionIdle: Nanos | undefined;
  /** Already jittered by up to ±10% (getJitter). */
  readonly maxConnectionAge: Nanos | undefined;
  readonly maxConnectionAgeGrace: Nanos | undefined;
  readonly minTime: Nanos;
  readonly permitWithoutStream: boolean;
  /** TCP_USER_TIMEOUT the server sets on the socket (v1.46+), carried for the transport layer. */
  readonly tcpUserTimeout: Nanos | undefined;
  /** Set when KeepaliveParams raised Time to its floor. */
  readonly clamped?: ClampWarning | undefined;
};

export type ClientKeepaliveConfig = {
  /** `undefined`: keepalive off (no keepalive goroutine, lastRead not stamped). */
  readonly time: Nanos | undefined;
  readonly timeout: Nanos;
  readonly permitWithoutStream: boolean;
  readonly tcpUserTimeout: Nanos | undefined;
  /** Set when WithKeepaliveParams raised Time to its floor. */
  readonly clamped?: ClampWarning | undefined;
};

export type NormalizeOptions = {
  /**
   * Apply the public API's floors (server Time >= 1 s in `grpc.KeepaliveParams`, client Time >= 10 s
   * in `grpc.WithKeepaliveParams`). Upstream's own transport tests bypass them by building
   * `ServerConfig`/`ConnectOptions` directly; `false` models that.
   * @default true
   */
  readonly clamp?: boolean;
};

/** Mirrors server.go KeepaliveParams (floor) and newHTTP2Server (defaults, jitter, TCP_USER_TIMEOUT). */
export function normalizeServer(
  kp: ServerParameters,
  kep: EnforcementPolicy,
  features: GrpcGoFeatures,
  rng: Rng,
  options: NormalizeOptions = {},
): ServerKeepaliveConfig {
  let time = nonZero(kp.time) ?? DEFAULTS.serverKeepaliveTime;
  let clamped: ClampWarning | undefined;
  if ((options.clamp ?? true) && time < DEFAULTS.minServerTime) {
    clamped = { requested: time, applied: DEFAULTS.minServerTime, log: `Adjusting keepalive ping interval to minimum period of ${goSeconds(DEFAULTS.minServerTime)}`, source: 'server.go KeepaliveParams' };
    time = DEFAULTS.minServerTime;
  }
  const timeout = nonZero(kp.timeout) ?? DEFAULTS.serverKeepaliveTimeout;
  const age = nonZero(kp.maxConnectionAge);
  return {
    time,
    timeout,
    maxConnectionIdle: nonZero(kp.maxConnectionIdle),
    maxConnectionAge: age === undefined ? undefined : age + jitter(age, rng),
    maxConnectionAgeGrace: nonZero(kp.maxConnectionAgeGrace),
    minTime: nonZero(kep.minTime) ?? DEFAULTS.keepalivePolicyMinTime,
    permitWithoutStream: kep.permitWithoutStream ?? false,
    // Set whenever Time is not infinity, and the server Time always has a finite default.
    tcpUserTimeout: features.serverSetsTcpUserTimeout ? timeout : undefined,
    ...(clamped === undefined ? {} : { clamped }),
  };
}

/**
 * The client's keepalive Time (`undefined`: keepalive off). A `keepalive` object is a call to
 * WithKeepaliveParams, which raises any Time below 10 s to 10 s, the zero value (Time not set)
 * included: passing ClientParameters at all turns keepalive on, as a real v1.60.1 client shows
 * (docs/validation.md). Built directly (clamp off, as upstream's transport tests do), Time 0
 * reaches newHTTP2Client, which reads it as infinity: off. No object: keepalive off.
 */
export function clientKeepaliveTime(kp: ClientParameters | undefined, options: NormalizeOptions = {}): Nanos | undefined {
  if (kp === undefined) return undefined;
  const time = nonZero(kp.time);
  if (!(options.clamp ?? true)) return time;
  return Math.max(time ?? 0, DEFAULTS.minClientTime);
}

/** Mirrors dialoptions.go WithKeepaliveParams (floor) and newHTTP2Client (defaults, TCP_USER_TIMEOUT). */
export function normalizeClient(
  kp: ClientParameters | undefined,
  features: GrpcGoFeatures,
  options: NormalizeOptions = {},
): ClientKeepaliveConfig {
  const time = clientKeepaliveTime(kp, options);
  const timeout = nonZero(kp?.timeout) ?? DEFAULTS.clientKeepaliveTimeout;
  const requested = nonZero(kp?.time);
  const clamped: ClampWarning | undefined =
    kp !== undefined && time !== undefined && time !== requested
      ? { requested, applied: time, log: `Adjusting keepalive ping interval to minimum period of ${goSeconds(DEFAULTS.minClientTime)}`, source: 'dialoptions.go WithKeepaliveParams' }
      : undefined;
  return {
    time,
    timeout,
    permitWithoutStream: kp?.permitWithoutStream ?? false,
    tcpUserTimeout: time !== undefined && features.clientSetsTcpUserTimeout ? timeout : undefined,
    ...(clamped === undefined ? {} : { clamped }),
  };
}

/**
 * getJitter: a uniform draw in [-v/10, v/10) from Go's math/rand, here from the run's seeded
 * generator (upstream's draw is not reproducible; ours is, per seed).
 */
export function jitter(v: Nanos, rng: Rng): Nanos {
  const r = Math.trunc(v / 10);
  if (r <= 0) return 0;
  return Math.floor(rng.nextFloat() * 2 * r) - r;
}

function nonZero(v: Nanos | undefined): Nanos | undefined {
  return v === undefined || v === 0 ? undefined : v;
}
