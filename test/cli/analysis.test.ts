import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, kpsim } from './kpsim-process.js';

/**
 * End-to-end checks of `kpsim` as a user runs it: each case spawns the real CLI through tsx (about
 * half a second each), so cases are grouped and the spawns of a group run concurrently.
 */

const tmp = mkdtempSync(join(tmpdir(), 'kpsim-analysis-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('kpsim hunt and kpsim break', () => {
  it('hunt finds the seed flaw (one fault just over 5 s), saves a replayable scenario, and finds nothing on a bounded network', async () => {
    const saved = join(tmp, 'ce.json');
    const [found, none] = await Promise.all([kpsim('hunt', 'seed-flaw', '--json', '--save', saved), kpsim('hunt', 'bounded-delay', '--json', '--no-save')]);
    expect(found.status).toBe(0);
    const h = JSON.parse(found.stdout) as { found: boolean; runs: number; counterexample: { faults: unknown[]; sizes: { kind: string; sizeMs: number }[] } };
    expect(h.found).toBe(true);
    expect(h.runs).toBeGreaterThan(0);
    expect(h.counterexample.faults).toHaveLength(1);
    expect(h.counterexample.sizes).toEqual([{ kind: 'late-reply', sizeMs: 5001 }]);
    expect(existsSync(saved)).toBe(true);
    const run = await kpsim('run', saved, '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ closed: true, closedBy: 'server', cause: 'keepalive', closedAtMs: 65030 });
    const n = JSON.parse(none.stdout) as { found: boolean; runs: number; counterexample: unknown };
    expect(n).toMatchObject({ found: false, runs: 300, counterexample: null });
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ name: 'seed-flaw-counterexample' });
  }, 60_000);

  it('break: reply-delay threshold is Timeout (5 s, and 90 s for Time 30s / Timeout 90s) with a witness', async () => {
    const [a, b, bad] = await Promise.all([
      kpsim('break', 'seed-flaw', '--fault', 'reply-delay', '--json'),
      kpsim('break', 'seed-flaw', '--fault', 'reply-delay', '--json', '--set', 'server.keepalive.time=30s', '--set', 'server.keepalive.timeout=90s'),
      kpsim('break', 'hol-blocking', '--fault', 'reply-delay'),
    ]);
    const ra = JSON.parse(a.stdout) as { fault: string; thresholdMs: number; exact: number; witness: { closed: boolean; cause: string } };
    expect(ra.fault).toBe('reply-delay');
    expect(Math.abs(ra.thresholdMs - 5000)).toBeLessThanOrEqual(1);
    expect(ra.exact).toBe(ra.thresholdMs);
    expect(ra.witness).toMatchObject({ closed: true, cause: 'keepalive' });
    const rb = JSON.parse(b.stdout) as { thresholdMs: number };
    expect(Math.abs(rb.thresholdMs - 90_000)).toBeLessThanOrEqual(1);
    expect(expectOneLineError(bad)).toMatch(/already closes the connection/);
  }, 60_000);
});
