import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinNames } from '../../src/scenario/builtins.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { MINUTE, SECOND } from '../../src/time/units.js';

const doc = readFileSync(new URL('../../docs/scenarios.md', import.meta.url), 'utf8');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('docs/scenarios.md', () => {
  it('has a full example that is a valid scenario', () => {
    const example = parseScenarioText(jsonBlocks[0] ?? '', 'docs/scenarios.md');
    expect(example.name).toBe('flaky-uplink');
    expect(example.client.version).toBe('1.83.1');
    expect(example.workload).toHaveLength(2);
    expect(example.faults.map((f) => f.type)).toEqual(['delayFrame', 'blackhole', 'readerStall', 'crash']);
    expect(example.faults[1]).toEqual({ type: 'blackhole', direction: 'clientToServer', from: 3 * MINUTE, until: 3 * MINUTE + 20 * SECOND });
  });

  it('has only valid JSON examples', () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(2);
    for (const block of jsonBlocks) expect(() => parseScenarioText(block, 'docs')).not.toThrow();
  });

  it.each(builtinNames())('lists the built-in %s', (name) => {
    expect(doc).toContain(`| \`${name}\` |`);
  });
});
