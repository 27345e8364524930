/**
 * The exact (Garwood 1936) two-sided confidence interval for the mean of a Poisson count:
 * for k events at level 1 - alpha,
 *
 *   lower = Q(alpha/2; k)        (0 when k = 0)
 *   upper = Q(1 - alpha/2; k + 1)
 *
 * where Q(u; a) is the u-quantile of the Gamma(a, 1) distribution (equivalently chi-square
 * quantiles: lower = chi2(alpha/2; 2k)/2, upper = chi2(1 - alpha/2; 2k + 2)/2). The gamma CDF is
 * the regularized lower incomplete gamma function P(a, x), evaluated here by its power series
 * (x < a + 1) or its continued fraction (otherwise), and inverted by bisection, so the interval is
 * correct to about 1e-12 relative. No package: the arithmetic is short and checked against
 * published values in test/analysis/rates/poisson-interval.test.ts.
 */
export function poissonInterval(k: number, level = 0.95): readonly [number, number] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`poissonInterval: expected a count >= 0, got ${k}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`poissonInterval: expected a level in (0, 1), got ${level}`);
  const alpha = 1 - level;
  return [k === 0 ? 0 : gammaQuantile(alpha / 2, k), gammaQuantile(1 - alpha / 2, k + 1)];
}

/** The u-quantile of Gamma(a, 1): the x with P(a, x) = u. */
export function gammaQuantile(u: number, a: number): number {
  if (!(u > 0 && u < 1) || !(a > 0)) throw new RangeError(`gammaQuantile: need 0 < u < 1 and a > 0, got u=${u}, a=${a}`);
  let lo = 0;
  let hi = Math.max(1, a);
  while (regularizedGammaP(a, hi) < u) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedGammaP(a, mid) < u) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(a, x) = (1/Γ(a)) ∫_0^x t^(a-1) e^-t dt. */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: P = e^-x x^a / Γ(a+1) · Σ x^n / ((a+1)...(a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.min(1, sum * Math.exp(logPrefix));
  }
  // Continued fraction for Q = 1 - P (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10_000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix) * h);
}

/** ln Γ(z) for z > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ] as const;
  const x = z - 1;
  let s = c[0];
  for (let i = 1; i < c.length; i++) s += (c[i] as number) / (x + i);
  const t = x + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
