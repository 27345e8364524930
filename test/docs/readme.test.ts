import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kpsim } from '../cli/kpsim-process.js';

/** The README says its seed-flaw timeline is `npm start`'s real output, nothing edited: keep it so. */
describe('README', () => {
  it('shows exactly what `kpsim run seed-flaw` (npm start) prints', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const marker = '`npm start` prints this (real output, nothing edited):\n\n```\n';
    const at = readme.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const shown = readme.slice(at + marker.length, readme.indexOf('```', at + marker.length));
    const run = await kpsim('run', 'seed-flaw');
    expect(run.status).toBe(0);
    expect(shown).toBe(run.stdout);
  }, 60_000);
});
