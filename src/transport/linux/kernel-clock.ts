import type { Nanos } from '../../time/units.js';

/**
 * One host's kernel clocks, on the simulator's virtual time (ns from the start of the run):
 *
 * - `jiffies`, the tick counter TCP's timers are armed in. Tick k begins at
 *   `(k - base) * tickNs - phaseNs`; `base` and `phaseNs` place the run on the host's tick grid
 *   (where a real host is on it at the start of a connection is arbitrary, so a run draws it from
 *   its seed, or a recorded run gives the one the host had).
 * - the millisecond clock of TCP timestamps (tcp_time_stamp_ts: TSval, retrans_stamp), and the
 *   microsecond clock of RTT samples (tcp_mstamp), both exact subdivisions of virtual time.
 *
 * And the timer wheel (kernel/time/timer.c, read at 6.12): a timer armed for `delta` jiffies is
 * put in a bucket of its level's granularity and fires at the start of the bucket's tick,
 * always after its nominal expiry: 1 tick later at level 0 (under 63 ticks), up to 8 ticks at
 * level 1, 64 at level 2 and so on (each level is 8 times coarser). With HZ 250 a 3.3 s RTO
 * fires up to 256 ms late and a 15 s TCP keepalive probe too; a 60 s one up to 2 s.
 */
export type RtoBounds = { readonly min: number; readonly max: number; readonly init: number };

export type KernelClock = {
  readonly hz: number;
  readonly tickNs: number;
  /** jiffies at the tick that contains virtual time 0. */
  readonly base: number;
  /** How far into its tick virtual time 0 falls, in [0, tickNs). */
  readonly phaseNs: number;
  /** TCP_RTO_MIN (HZ/5), TCP_RTO_MAX (120 HZ) and TCP_TIMEOUT_INIT (HZ) in this clock's jiffies. */
  readonly rtoBounds: RtoBounds;
  /** The last `jiffiesAt` answer (a socket asks many times per instant). */
  memoT: Nanos;
  memoJ: number;
};

export function createKernelClock(hz: number, base: number, phaseNs: number): KernelClock {
  const tickNs = 1e9 / hz;
  return { hz, tickNs, base: Math.floor(base), phaseNs: Math.max(0, Math.min(tickNs - 1, Math.floor(phaseNs))), rtoBounds: { min: hz / 5, max: 120 * hz, init: hz }, memoT: -1, memoJ: 0 };
}

/** jiffies at virtual time `t`. */
export function jiffiesAt(c: KernelClock, t: Nanos): number {
  if (t === c.memoT) return c.memoJ;
  const j = c.base + Math.floor((t + c.phaseNs) / c.tickNs);
  c.memoT = t;
  c.memoJ = j;
  return j;
}

/** The virtual time at which tick `j` begins. */
export function tickStart(c: KernelClock, j: number): Nanos {
  return (j - c.base) * c.tickNs - c.phaseNs;
}

/** TCP timestamp clock (TCP_TS_HZ 1000): whole milliseconds. */
export function tcpTimeStampMs(t: Nanos): number {
  return Math.floor(t / 1_000_000);
}

/** tcp_mstamp: whole microseconds. */
export function tcpClockUs(t: Nanos): number {
  return Math.floor(t / 1000);
}

/** usecs_to_jiffies (rounds up). */
export function usecsToJiffies(c: KernelClock, us: number): number {
  const perTick = 1_000_000 / c.hz;
  return Math.ceil(us / perTick);
}

/** msecs_to_jiffies (rounds up). */
export function msecsToJiffies(c: KernelClock, ms: number): number {
  return Math.ceil((ms * c.hz) / 1000);
}

export function jiffiesToUsecs(c: KernelClock, j: number): number {
  return (j * 1_000_000) / c.hz;
}

export function jiffiesToMsecs(c: KernelClock, j: number): number {
  return (j * 1000) / c.hz;
}

const LVL_CLK_SHIFT = 3;
const LVL_BITS = 6;
const LVL_SIZE = 1 << LVL_BITS;
/** LVL_START(n): the first delta (in ticks) that level n holds, for n = 1..9. */
const LVL_START: readonly number[] = Array.from({ length: 10 }, (_, n) => (n === 0 ? 0 : (LVL_SIZE - 1) * 2 ** ((n - 1) * LVL_CLK_SHIFT)));
/** LVL_GRAN(n): level n's granularity in ticks. */
const LVL_GRAN: readonly number[] = Array.from({ length: 10 }, (_, n) => 2 ** (n * LVL_CLK_SHIFT));

/**
 * The tick at which a timer armed at tick `clk` to expire at tick `expires` runs
 * (calc_wheel_index and calc_index): the expiry is rounded up, past itself, to the granularity
 * of the level that `expires - clk` selects. LVL_DEPTH is 9 with HZ above 100, else 8; timeouts
 * beyond the wheel's capacity are cut to it.
 */
export function wheelFireTick(c: KernelClock, clk: number, expires: number): number {
  let delta = expires - clk;
  if (delta < 0) return clk;
  // Level 0 (the common case: delayed ACKs, RTOs, loss probes): one tick past the expiry.
  if (delta < (LVL_START[1] as number)) return expires + 1;
  const depth = c.hz > 100 ? 9 : 8;
  let lvl = depth - 1;
  for (let n = 1; n < depth; n++) {
    if (delta < (LVL_START[n] as number)) {
      lvl = n - 1;
      break;
    }
  }
  if (lvl === depth - 1) {
    const cutoff = LVL_START[depth] as number;
    if (delta >= cutoff) {
      delta = cutoff - (LVL_GRAN[depth - 1] as number);
      expires = clk + delta;
    }
  }
  const gran = LVL_GRAN[lvl] as number;
  return (Math.floor(expires / gran) + 1) * gran;
}

/**
 * A kernel timer armed now for `deltaJiffies`: the virtual time it really runs at. (Its nominal
 * expiry, the tick the kernel stores as `icsk_timeout`, is `jiffiesAt(now) + ceil(deltaJiffies)`.)
 */
export function kernelTimerFiresAt(c: KernelClock, now: Nanos, deltaJiffies: number): Nanos {
  const clk = jiffiesAt(c, now);
  const expires = clk + (deltaJiffies > 0 ? Math.ceil(deltaJiffies) : 0);
  const fires = tickStart(c, wheelFireTick(c, clk, expires));
  return Math.max(now, Math.round(fires));
}
