import type { Nanos } from '../../time/units.js';

/**
 * The figures kpsim gives for one keepalive setting on one scenario's network and workload
 * (issue 5). Shared by the estimators (src/analysis/rates/), `kpsim sweep`, `kpsim advise` and
 * their renderers. Every figure is produced from seeded runs, so the same inputs give the same
 * figures whatever the number of worker threads.
 */

/** Which keepalive a sweep varies. `server`: ServerParameters.Time/Timeout (the seed's case). */
export type SweepSide = 'server' | 'client';

/** One point of a sweep: the Time and Timeout given to `side`; everything else is the scenario's. */
export type KeepaliveSetting = {
  readonly side: SweepSide;
  readonly time: Nanos;
  readonly timeout: Nanos;
};

/**
 * How a false-kill rate was obtained: seeded Monte Carlo, kills counted over simulated connection
 * time with a Poisson interval. The only method since the idle closed form was withdrawn (the
 * kernel's loss recovery does not follow its renewal arithmetic, docs/rates.md); outputs still
 * name it, so that a figure always says how it was made.
 */
export type RateMethod = 'monte-carlo';

/** The mechanism that closed a connection. */
export type CloseMechanism = 'keepalive' | 'tcp-user-timeout' | 'retransmissions' | 'tcp-keepalive' | 'other';

export type FalseKills = {
  /** Closes of connections whose peer was alive, per connection-day. */
  readonly perDay: number;
  /** 95% interval for `perDay`. */
  readonly ci95: readonly [number, number];
  readonly method: RateMethod;
  /** Kills observed (Monte Carlo) and simulated connection time, for the reader to judge. */
  readonly kills: number;
  readonly exposureDays: number;
  /** Kills by mechanism. */
  readonly by: Readonly<Partial<Record<CloseMechanism, number>>>;
};

export type Detection = {
  /** Time from the peer's death to the close, in milliseconds, over the seeded replicas. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Replicas that never detected the death within the horizon (counted, not averaged in). */
  readonly undetected: number;
  readonly replicas: number;
  /** Which mechanism closed the connection, per replica count. */
  readonly by: Readonly<Partial<Record<CloseMechanism, number>>>;
};

export type Cost = {
  /** PING frames (not ACKs) sent per connection-hour, each way, on a healthy connection. */
  readonly pingsPerHour: { readonly serverToClient: number; readonly clientToServer: number };
  /** Bytes on the wire (IP packets) per connection-hour attributable to keepalive, each way. */
  readonly bytesPerHour: { readonly serverToClient: number; readonly clientToServer: number };
};

export type CellFigures = {
  readonly setting: KeepaliveSetting;
  readonly falseKills: FalseKills;
  readonly detection: Detection;
  readonly cost: Cost;
};

export type EvaluateOptions = {
  /** Base seed; each replica's seed derives from it and the setting, never from scheduling. */
  readonly seed: number;
  /** Keepalive cycles of healthy connection to simulate per setting (Monte Carlo budget). */
  readonly cycles: number;
  /** Dead-peer replicas for the detection figures. */
  readonly detectReplicas: number;
};
