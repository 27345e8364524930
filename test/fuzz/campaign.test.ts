/**
 * The fuzz campaign runner (fuzz/campaign.ts): chunks let the event loop turn, the inputs depend on
 * the seed only, fast-check's run ids continue across chunks, and a failure names what replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkProperty, chunkSeed, runCampaign, type CampaignConstraints } from '../../fuzz/campaign.js';
import type { FuzzTarget } from '../../fuzz/target.js';

/** A target over naturals; `check` is what each input does. */
const natTarget = (check: (n: number) => void): FuzzTarget<number> => ({
  name: 'nat',
  description: 'a test target',
  property: (onRun) =>
    fc.property(fc.nat(), (n) => {
      onRun();
      check(n);
    }),
  save: (n) => new TextEncoder().encode(String(n)),
  load: (b) => Number(new TextDecoder().decode(b)),
  check,
});

/** A clock that moves 1 ms per read, plus `jump` ms when asked: the budget counts reads, not time. */
const fakeClock = () => {
  let t = 0;
  return { now: () => t++, jump: (ms: number) => void (t += ms) };
};
const constraints = (budgetMs: number, over: Partial<CampaignConstraints> = {}): CampaignConstraints => ({
  seed: 7,
  budgetMs,
  chunkRuns: 10,
  now: fakeClock().now,
  memory: () => ({ rss: 1, heapUsed: 1 }),
  ...over,
});

describe('runCampaign', () => {
  it('lets the event loop turn between chunks: work left to nextTick never exceeds one chunk', async () => {
    let inputs = 0;
    let ticks = 0;
    let mostPending = 0;
    const t = natTarget(() => {
      mostPending = Math.max(mostPending, inputs - ticks);
      inputs++;
      process.nextTick(() => ticks++);
    });
    const r = await runCampaign(t, constraints(300));
    expect(r.inputs).toBeGreaterThan(50);
    expect(mostPending).toBeLessThanOrEqual(10);
  });
  it('gives the same inputs for the same seed whatever the budget: a shorter campaign is a prefix', async () => {
    const seen = async (budgetMs: number): Promise<number[]> => {
      const out: number[] = [];
      await runCampaign(natTarget((n) => out.push(n)), constraints(budgetMs));
      return out;
    };
    const short = await seen(100);
    const long = await seen(400);
    expect(short.length).toBeGreaterThan(20);
    expect(long.length).toBeGreaterThan(short.length);
    expect(long.slice(0, short.length)).toEqual(short);
    // Chunks have their own seeds: input 10 is not input 0 again.
    expect(chunkSeed(7, 0)).toBe(7);
    expect(chunkSeed(7, 1)).not.toBe(chunkSeed(7, 2));
  });
  it('continues fast-check run ids (its bias schedule) across chunks', () => {
    const t = natTarget(() => undefined);
    const ids: (number | undefined)[] = [];
    const spy: FuzzTarget<number> = {
      ...t,
      property: (onRun) => {
        const inner = t.property(onRun) as fc.IRawProperty<[number], false>;
        return {
          isAsync: () => false,
          generate: (mrng, runId) => (ids.push(runId), inner.generate(mrng, runId)),
          shrink: (v) => inner.shrink(v),
          run: (v) => inner.run(v),
          runBeforeEach: () => inner.runBeforeEach(),
          runAfterEach: () => inner.runAfterEach(),
        };
      },
    };
    fc.check(chunkProperty(spy, 30), { numRuns: 3 });
    expect(ids).toEqual([30, 31, 32]);
  });
  it('stops at the first failing input and says what replays it', async () => {
    const t = natTarget((n) => {
      if (n % 7 === 3) throw new Error(`bad ${n}`);
    });
    const r = await runCampaign(t, constraints(10_000));
    const f = r.failure;
    expect(f).toBeDefined();
    if (f === undefined) return;
    expect(r.inputs).toBe(f.input + 1);
    expect(f.chunk).toBe(Math.floor(f.input / 10));
    const again = fc.check(chunkProperty(t, f.offset), { seed: f.seed, path: f.path });
    expect(again.failed).toBe(true);
    expect(again.counterexample?.[0]).toBe(f.counterexample);
  });
  it('reports the slowest input and the peak memory it sampled', async () => {
    const clock = fakeClock();
    let i = 0;
    let rss = 100;
    const t = natTarget(() => {
      if (i++ === 42) clock.jump(500);
    });
    const r = await runCampaign(t, constraints(2000, { now: clock.now, memory: () => ({ rss: (rss += 1), heapUsed: 5 }) }));
    expect(r.slowest?.input).toBe(42);
    expect(r.slowest?.ms).toBeGreaterThanOrEqual(500);
    expect(r.rss.start).toBe(101);
    expect(r.rss.peak).toBe(r.rss.end);
    expect(r.rss.peak).toBeGreaterThan(101);
    expect(r.heapUsed).toEqual({ start: 5, peak: 5, end: 5 });
  });
});
