/** Counterexamples found by `kpsim hunt`, kept as regression scenarios: each must still kill a live connection. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isKill } from '../../src/analysis/kill.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('test/counterexamples', () => {
  it('has counterexamples', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`${f} still kills a live connection`, () => {
      const r = runScenario(parseScenarioText(readFileSync(new URL(f, dir), 'utf8'), f), { trace: false });
      expect(isKill(r)).toBe(true);
    });
  }
});
