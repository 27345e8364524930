import { describe, expect, it } from 'vitest';
import { renderJsonLines } from '../../src/report/jsonl.js';
import { delayedAckRun } from './delayed-ack-run.js';

describe('renderJsonLines', () => {
  const result = delayedAckRun();
  const text = renderJsonLines(result);
  const lines = text.trimEnd().split('\n');
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes a run header, one step per trace record, and the outcome, one JSON object per line', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(parsed).toHaveLength(result.trace.length + 2);
    expect(parsed[0]).toMatchObject({ kind: 'run', scenario: 'delayed-ack', seed: 1, horizon: 180_000_000_000 });
    expect(parsed[0]?.['server']).toMatchObject({ version: '1.83.1', time: 60_000_000_000, timeout: 5_000_000_000, tcpUserTimeout: 5_000_000_000 });
    expect(parsed[0]?.['client']).toMatchObject({ time: null, timeout: 20_000_000_000 });
    expect(parsed.slice(1, -1).every((p) => p['kind'] === 'step')).toBe(true);
    expect(parsed.at(-1)).toMatchObject({ kind: 'outcome', closed: true, closedAt: 65_030_000_000, closedBy: 'server', cause: 'keepalive' });
  });

  it('keeps times as integer nanoseconds and adds atMs', () => {
    const steps = parsed.slice(1, -1);
    for (const s of steps) {
      expect(Number.isInteger(s['at'])).toBe(true);
      expect(s['atMs']).toBe((s['at'] as number) / 1e6);
    }
    const close = steps.find((s) => JSON.stringify(s['actions']).includes('"close"'));
    expect(close).toMatchObject({ at: 65_030_000_000, atMs: 65_030, actor: 'server', event: { type: 'timerFired', timer: 'kpTimer' } });
    expect(Object.keys(steps[0] ?? {})).toEqual(['kind', 'seq', 'at', 'atMs', 'actor', 'event', 'actions', 'changes', 'state']);
  });

  it('is byte-identical for identical runs', () => {
    expect(renderJsonLines(delayedAckRun())).toBe(text);
    expect(renderJsonLines(delayedAckRun({ seed: 1 }))).toBe(text);
  });
});
