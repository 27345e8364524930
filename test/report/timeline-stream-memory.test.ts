import { describe, expect, it } from 'vitest';
import { createTextTimelineStream } from '../../src/report/text-timeline.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { applyOverrides, parseScenario } from '../../src/scenario/load.js';
import { startRun } from '../../src/sim/world.js';
import { HOUR } from '../../src/time/units.js';

const DAY = 24 * HOUR;

describe('a streamed text timeline holds flat memory', () => {
  it('lossy-mobile at 30s/90s for 30 days: resident memory at day 1, day 10 and the end within 1.3x', { timeout: 120_000 }, () => {
    const sc = parseScenario(applyOverrides(BUILTIN_SCENARIOS['lossy-mobile'], ['server.keepalive.time=30s', 'server.keepalive.timeout=90s', 'horizon=720h']), 'lossy-mobile');
    let written = 0;
    const run = startRun(sc, { onTrace: (r) => timeline.record(r), maxEvents: Number.POSITIVE_INFINITY });
    const timeline = createTextTimelineStream(run.head, (c) => void (written += c.length));
    const samples: { day: number; rss: number; written: number }[] = [];
    const marks = [1, 10];
    while (run.advance(1 << 16)) {
      const mark = marks[0];
      if (mark !== undefined && run.now() >= mark * DAY) {
        samples.push({ day: mark, rss: process.memoryUsage.rss(), written });
        marks.shift();
      }
    }
    const result = run.finish();
    timeline.end(result);
    samples.push({ day: result.outcome.endedAt / DAY, rss: process.memoryUsage.rss(), written });
    expect(samples.map((s) => s.day)).toEqual([1, 10, expect.any(Number)]);
    // The run went well past day 10, with megabytes of text written between the samples.
    expect(samples[2]?.day).toBeGreaterThan(15);
    expect((samples[2]?.written ?? 0) - (samples[0]?.written ?? 0)).toBeGreaterThan(30e6);
    const rss = samples.map((s) => s.rss);
    expect(Math.max(...rss) / Math.min(...rss), JSON.stringify(samples)).toBeLessThan(1.3);
  });
});
