import { describe, expect, it } from 'vitest';
import { S, run } from '../support/run.js';

describe('a paused process', () => {
  it('runs its application late, each job once: two calls due during the pause open streams 1 and 3 when it ends', () => {
    const r = run({
      horizon: '30s',
      workload: [
        { type: 'unary', at: '1s' },
        { type: 'unary', at: '2s' },
      ],
      faults: [{ type: 'pause', peer: 'client', from: '500ms', until: '5s' }],
    });
    const starts = r.trace.filter((t) => t.event.type === 'streamStarted').map((t) => [t.at, t.event.type === 'streamStarted' ? t.event.streamId : 0]);
    expect(starts).toEqual([
      [5 * S, 1],
      [5 * S, 3],
    ]);
  });
});
