import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * End-to-end checks of `kpsim` as a user runs it: each case spawns the real CLI through tsx (about
 * half a second each), so cases are grouped and the spawns of a group run concurrently.
 */

type CliRun = { readonly status: number | null; readonly stdout: string; readonly stderr: string };

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function kpsim(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli/main.ts', ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A usage error: exit 2, nothing on stdout, exactly one stderr line starting `kpsim: `, no stack. */
function expectOneLineError(r: CliRun): string {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line.startsWith('kpsim: ')).toBe(true);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return line;
}

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
  });

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
  });
});
