import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, builtinNames } from '../../src/scenario/builtins.js';
import { applyOverrides, parseScenario } from '../../src/scenario/load.js';
import { runScenario, startRun } from '../../src/sim/world.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { createJsonLinesStream, renderJsonLines } from '../../src/report/jsonl.js';
import { createTextTimelineStream, LAYOUT_ROWS, renderTextTimeline } from '../../src/report/text-timeline.js';

const scenario = (name: string, sets: readonly string[] = []) => parseScenario(applyOverrides(BUILTIN_SCENARIOS[name], sets), `builtin:${name}`);

describe('a trace handed over as the run goes (RunOptions.onTrace)', () => {
  it.each(builtinNames())('%s: the streamed records are the recorded ones, final when handed over', (name) => {
    for (const seed of [1, 7]) {
      const whole = runScenario(scenario(name), { seed });
      const streamed: string[] = [];
      const result = runScenario(scenario(name), { seed, onTrace: (r) => void streamed.push(JSON.stringify(r)) });
      expect(result.trace).toEqual([]);
      // Serialised on arrival: an action completed after being handed over would differ here.
      expect(streamed).toEqual(whole.trace.map((r) => JSON.stringify(r)));
      expect(result.outcome).toEqual(whole.outcome);
    }
  });

  it('advancing in slices gives the run advanced at once', () => {
    const sc = scenario('seed-fix', ['horizon=2h', 'network.clientToServer.loss={"model":"bernoulli","p":0.002}']);
    const whole = runScenario(sc, { seed: 3 });
    const run = startRun(sc, { seed: 3 });
    let slices = 0;
    while (run.advance(50)) slices++;
    const sliced = run.finish();
    expect(slices).toBeGreaterThan(10);
    expect(JSON.stringify(sliced)).toBe(JSON.stringify(whole));
  });

  it('the streaming renderers write what the whole-trace renderers do, past the layout window too', () => {
    // Long enough for more than LAYOUT_ROWS timeline rows.
    const sc = scenario('seed-fix', ['horizon=48h']);
    const whole = runScenario(sc);
    expect(whole.trace.length).toBeGreaterThan(LAYOUT_ROWS);
    let text = '';
    let jsonl = '';
    let held = 0;
    const run = startRun(sc, {
      onTrace: (r: TraceRecord) => {
        t.record(r);
        j.record(r);
        held++;
      },
    });
    const t = createTextTimelineStream(run.head, (c) => void (text += c));
    const j = createJsonLinesStream(run.head, (c) => void (jsonl += c));
    while (run.advance(10_000)) {
      // The records so far have been handed over: none is kept by the run.
    }
    const result = run.finish();
    t.end(result);
    j.end(result);
    expect(held).toBe(whole.trace.length);
    expect(text).toBe(renderTextTimeline(whole));
    expect(jsonl).toBe(renderJsonLines(whole));
  });

  it('a stopped run says so at the end of its timeline and its JSON lines', () => {
    const sc = scenario('seed-flaw');
    let text = '';
    const run = startRun(sc, { onTrace: (r) => t.record(r) });
    const t = createTextTimelineStream(run.head, (c) => void (text += c));
    run.advance(5);
    const result = run.finish();
    t.end(result, 'the event budget (5 events)');
    expect(text).toMatch(/stopped before the end of the run: the event budget \(5 events\); the timeline above goes up to \d+\.\d{3}s\n$/);
    let jsonl = '';
    const j = createJsonLinesStream(run.head, (c) => void (jsonl += c));
    j.end(result, 'the event budget (5 events)');
    expect(jsonl.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['run', 'stopped', 'outcome']);
  });
});
