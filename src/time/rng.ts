/**
 * Seeded pseudo-random generator: xoshiro128** seeded through splitmix32.
 * Every random choice in kpsim comes from one of these, created from the run's seed, so a seed
 * replays a run exactly. Mutable by design: drawing advances the generator in place.
 */
export type Rng = {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform float in [0, 1) with 53 bits of precision. */
  nextFloat(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  intBetween(lo: number, hi: number): number;
  /** A new generator whose stream is independent of this one's continuation. */
  fork(label: number): Rng;
};

export function createRng(seed: number): Rng {
  let x = seed >>> 0;
  const split = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = split();
  let s1 = split();
  let s2 = split();
  let s3 = split();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  const nextFloat = (): number => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;
  return {
    nextU32,
    nextFloat,
    intBetween: (lo, hi) => lo + Math.floor(nextFloat() * (hi - lo + 1)),
    fork: (label) => createRng((nextU32() ^ Math.imul(label, 0x9e3779b1)) >>> 0),
  };
}

function rotl(v: number, k: number): number {
  return ((v << k) | (v >>> (32 - k))) >>> 0;
}
