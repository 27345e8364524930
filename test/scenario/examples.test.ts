import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, runScenario } from '../../src/index.js';

const dir = new URL('../../examples/', import.meta.url);

describe('examples/', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has example files', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`${f} validates and runs`, () => {
      const s = parseScenarioText(readFileSync(new URL(f, dir), 'utf8'), f);
      expect(runScenario(s, { trace: false }).outcome.endedAt).toBeGreaterThan(0);
    });
  }
  it('device-fleet: an 8 s uplink blackhole right after a keepalive PING kills the connection 5 s after it', () => {
    const s = parseScenarioText(readFileSync(new URL('device-fleet.json', dir), 'utf8'), 'device-fleet.json');
    const o = runScenario(s).outcome;
    expect(o).toMatchObject({ closedBy: 'server', cause: 'keepalive', closedAt: 155_120_000_000 });
  });
});
