import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/scenario/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';

describe('stream messages at listed times', () => {
  const base = { name: 't', horizon: '10s', client: {}, server: {} };

  it('writes one message at each listed time, relative to the stream opening', () => {
    const sc = parseScenario({ ...base, workload: [{ type: 'stream', at: '1s', client: { times: ['0s', '250ms', '4s'], size: 10 } }] }, 'test');
    const r = runScenario(sc);
    const writes = r.trace.filter((t) => t.event.type === 'messageWritten').map((t) => t.at);
    expect(writes).toEqual([1e9, 1.25e9, 5e9]);
  });

  it('rejects times out of order, both schedules at once, and neither, naming the field', () => {
    const bad = (client: object): string => {
      try {
        parseScenario({ ...base, workload: [{ type: 'stream', at: '0s', client }] }, 'test');
      } catch (e) {
        if (e instanceof ScenarioError) return e.message;
        throw e;
      }
      return 'accepted';
    };
    expect(bad({ times: ['2s', '1s'], size: 1 })).toMatch(/workload\.0\.client\.times\.1.*later than the time before it \(2s\)/);
    expect(bad({ times: ['1s'], every: '1s', size: 1 })).toMatch(/workload\.0\.client\.times.*not both/);
    expect(bad({ size: 1 })).toMatch(/workload\.0\.client\.every.*"every" \(a period\) or "times"/);
  });
});
