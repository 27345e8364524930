/**
 * Small statistics helpers for the impairment tests. Every tolerance in those tests is K_SIGMA
 * standard errors of the statistic under test, derived from the model's own distribution (the
 * formula is next to each use), never a guessed fudge factor. With fixed seeds the tests are
 * deterministic; 5 sigma means a correct implementation fails for a new seed about once in
 * 1.7 million.
 */
export const K_SIGMA = 5;

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation (the difference from n - 1 is far below every tolerance here). */
export function stdDev(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / xs.length);
}

export function min(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

export function max(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** The empirical q-quantile: the value at index floor(q * n) of the sorted sample. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Standard error of a proportion p estimated from n independent trials. */
export function binomialSe(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

/**
 * Standard error of the sample standard deviation of n independent draws from a distribution with
 * standard deviation `sigma` and kurtosis `kurt` (= mu4 / sigma^4), by the delta method:
 * Var(s^2) ≈ (mu4 - sigma^4) / n, and s = sqrt(s^2), so SE(s) ≈ sigma * sqrt((kurt - 1) / (4 n)).
 */
export function sdSe(sigma: number, kurt: number, n: number): number {
  return sigma * Math.sqrt((kurt - 1) / (4 * n));
}

/**
 * Standard error of the empirical q-quantile of n independent draws whose density at the true
 * quantile is `density`: sqrt(q (1 - q) / n) / density (asymptotic normality of sample quantiles).
 */
export function quantileSe(q: number, n: number, density: number): number {
  return Math.sqrt((q * (1 - q)) / n) / density;
}

/** Losses counted over a stream of packets, without keeping the stream. */
export type LossCount = {
  readonly packets: number;
  readonly lost: number;
  /** Bursts (maximal runs of lost packets) that ended before the last packet; a run cut off by the end is left out. */
  readonly bursts: number;
  /** Total length of those bursts. */
  readonly burstPackets: number;
};

/** Counts `n` calls of `drop`. */
export function countLosses(n: number, drop: () => boolean): LossCount {
  let lost = 0;
  let bursts = 0;
  let burstPackets = 0;
  let current = 0;
  for (let i = 0; i < n; i++) {
    if (drop()) {
      lost++;
      current++;
    } else if (current > 0) {
      bursts++;
      burstPackets += current;
      current = 0;
    }
  }
  return { packets: n, lost, bursts, burstPackets };
}

/** n values from `next`. */
export function draw<T>(n: number, next: () => T): T[] {
  return Array.from({ length: n }, next);
}
