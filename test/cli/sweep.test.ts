import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgress, progressLine } from '../../src/cli/progress.js';
import { evaluatorEnv, FAKE_EVALUATOR_ENV as FAKE } from '../sweep/evaluator-env.js';
import { expectOneLineError, kpsim } from './kpsim-process.js';

/**
 * `kpsim sweep` end to end, on the stand-in evaluator (test/sweep/fake-evaluator.ts, selected with
 * KPSIM_CELL_EVALUATOR) so that the command's own behaviour is tested fast and apart from the
 * estimators: workers, ordering, output formats, flags and errors.
 */
const tmp = mkdtempSync(join(tmpdir(), 'kpsim-sweep-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T = 60_000;
const GRID = ['--time', '10s..120s/12', '--timeout', '1s..120s/12log'];

describe('kpsim sweep (stand-in evaluator)', () => {
  evaluatorEnv(FAKE);

  it(
    'prints byte-identical JSON on 1 and 2 worker threads, cells in grid order with the figures asked for',
    async () => {
      const [one, two] = await Promise.all([kpsim('sweep', 'seed-flaw', ...GRID, '--json', '--workers', '1'), kpsim('sweep', 'seed-flaw', ...GRID, '--json', '--workers', '2')]);
      expect(one.status).toBe(0);
      expect(two.status).toBe(0);
      expect(one.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
      const j = JSON.parse(one.stdout) as { cells: { timeMs: number; timeoutMs: number }[]; grid: { timeMs: number[]; timeoutMs: number[] }; seed: number };
      expect(j.seed).toBe(1);
      expect(j.grid.timeMs).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120].map((s) => s * 1000));
      expect(j.cells).toHaveLength(144);
      j.cells.forEach((c, i) => {
        expect(c.timeMs).toBe(j.grid.timeMs[Math.floor(i / 12)]);
        expect(c.timeoutMs).toBe(j.grid.timeoutMs[i % 12]);
        expect(Object.keys(c)).toEqual(expect.arrayContaining(['falseKillsPerDay', 'falseKillsPerDayCI', 'detectMs', 'pingsPerHour', 'method', 'mechanisms', 'bytesPerHour']));
      });
    },
    T,
  );

  it(
    'writes the table by default, CSV with --csv, and the SVG and HTML files asked for',
    async () => {
      const svg = join(tmp, 'map.svg');
      const html = join(tmp, 'report.html');
      const [table, csv, files] = await Promise.all([
        kpsim('sweep', 'seed-flaw', '--time', '30s,60s', '--timeout', '5s,90s'),
        kpsim('sweep', 'seed-flaw', '--time', '30s,60s', '--timeout', '5s,90s', '--csv', '--seed', '9'),
        kpsim('sweep', 'seed-flaw', '--time', '30s,60s', '--timeout', '5s,90s', '--svg', svg, '--html', html, '--json'),
      ]);
      expect(table.status).toBe(0);
      expect(table.stdout).toMatch(/^sweep {5}seed-flaw: server keepalive, 2 Time x 2 Timeout = 4 settings\n/);
      expect(table.stdout.trimEnd().split('\n').slice(5)).toHaveLength(4);
      expect(csv.status).toBe(0);
      const rows = csv.stdout.trimEnd().split('\r\n');
      expect(rows[0]?.startsWith('side,time_ms,timeout_ms,false_kills_per_day,')).toBe(true);
      expect(rows.slice(1).map((r) => r.split(',').slice(0, 3).join(','))).toEqual(['server,30000,5000', 'server,30000,90000', 'server,60000,5000', 'server,60000,90000']);
      expect(files.status).toBe(0);
      expect(files.stderr).toBe(`wrote ${svg}\nwrote ${html}\n`);
      expect(readFileSync(svg, 'utf8').match(/<rect class="cell"/g)).toHaveLength(4);
      const page = readFileSync(html, 'utf8');
      expect(page).toMatch(/^<!DOCTYPE html>/);
      expect(page).not.toMatch(/https?:\/\//);
    },
    T,
  );

  it(
    'rejects bad grid flags with one line naming the flag and the bad part (exit 2)',
    async () => {
      const [open, word, zero, empty, big, workers, side] = await Promise.all([
        kpsim('sweep', 'seed-flaw', '--time', '10s..'),
        kpsim('sweep', 'seed-flaw', '--time', 'abc'),
        kpsim('sweep', 'seed-flaw', '--timeout', '1s..2s/0'),
        kpsim('sweep', 'seed-flaw', '--timeout', ''),
        kpsim('sweep', 'seed-flaw', '--time', '1s..200s/200', '--timeout', '1s..200s/51'),
        kpsim('sweep', 'seed-flaw', '--workers', '0'),
        kpsim('sweep', 'seed-flaw', '--side', 'both'),
      ]);
      expect(expectOneLineError(open)).toBe('kpsim: --time "10s..": a range needs a start, an end and a step count, e.g. 10s..120s/12 or 1s..120s/12log');
      expect(expectOneLineError(word)).toMatch(/^kpsim: --time "abc": invalid duration "abc"/);
      expect(expectOneLineError(zero)).toBe('kpsim: --timeout "1s..2s/0": a range needs at least 2 steps, got 0');
      expect(expectOneLineError(empty)).toMatch(/^kpsim: --timeout "": empty list/);
      expect(expectOneLineError(big)).toContain('the grid has 10200 cells (200 Time x 51 Timeout), more than 10000: use fewer steps, or --force');
      expect(expectOneLineError(workers)).toContain('--workers "0"');
      expect(expectOneLineError(side)).toContain("option '--side <side>' argument 'both' is invalid");
    },
    T,
  );
});

describe('kpsim sweep (evaluateCell)', () => {
  evaluatorEnv(undefined);

  it(
    'gives byte-identical JSON on 1 and 2 workers, and CSV with the same figures',
    async () => {
      const args = ['sweep', 'lossy-mobile', '--time', '30s,60s', '--timeout', '5s,20s', '--cycles', '2000', '--detect-replicas', '20'];
      const [one, two, csv] = await Promise.all([kpsim(...args, '--json', '--workers', '1'), kpsim(...args, '--json', '--workers', '2'), kpsim(...args, '--csv', '--workers', '1')]);
      expect(one.status).toBe(0);
      expect(one.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
      const cells = (JSON.parse(one.stdout) as { cells: { timeMs: number; timeoutMs: number; falseKillsPerDay: number; falseKillsPerDayCI: number[]; detectMs: { p99: number }; pingsPerHour: number }[] }).cells;
      expect(cells.map((c) => [c.timeMs, c.timeoutMs])).toEqual([[30_000, 5000], [30_000, 20_000], [60_000, 5000], [60_000, 20_000]]);
      const rows = csv.stdout.trimEnd().split('\r\n').slice(1).map((r) => r.split(','));
      rows.forEach((r, i) => {
        const c = cells[i];
        expect(Number(r[3])).toBe(c?.falseKillsPerDay);
        expect([Number(r[4]), Number(r[5])]).toEqual(c?.falseKillsPerDayCI);
        expect(Number(r[10])).toBe(c?.detectMs.p99);
        expect(Number(r[14])).toBe(c?.pingsPerHour);
      });
    },
    120_000,
  );
});

describe('kpsim sweep: the seed question (issue 5 bar)', () => {
  evaluatorEnv(undefined);

  it(
    'seed-flaw on a lossy link: 60s/5s kills orders of magnitude more often than 30s/90s, which pays with slower detection',
    async () => {
      const lossy = JSON.stringify({ delay: '80ms', jitter: '20ms', distribution: 'normal', loss: { model: 'bernoulli', p: 0.03 } });
      const r = await kpsim('sweep', 'seed-flaw', '--time', '30s,60s', '--timeout', '5s,90s', '--set', `network.clientToServer=${lossy}`, '--set', `network.serverToClient=${lossy}`, '--cycles', '80000', '--detect-replicas', '50', '--json');
      expect(r.status).toBe(0);
      type Cell = { timeMs: number; timeoutMs: number; falseKillsPerDay: number; falseKillsPerDayCI: [number, number]; detectMs: { p50: number; p99: number; max: number }; pingsPerHour: number };
      const cells = (JSON.parse(r.stdout) as { cells: Cell[] }).cells;
      const at = (t: number, o: number): Cell => cells.find((c) => c.timeMs === t && c.timeoutMs === o) as Cell;
      const flaw = at(60_000, 5000);
      const fix = at(30_000, 90_000);
      // At least two orders of magnitude between the flaw's interval and the fix's, both ends.
      expect(flaw.falseKillsPerDayCI[0]).toBeGreaterThan(100 * fix.falseKillsPerDayCI[1]);
      expect(flaw.falseKillsPerDay).toBeGreaterThan(1);
      // The price: a dead client is found later, and the fix pings twice as often.
      expect(fix.detectMs.p50).toBeGreaterThan(flaw.detectMs.p99);
      expect(fix.pingsPerHour).toBeGreaterThan(flaw.pingsPerHour);
    },
    180_000,
  );
});

describe('progress bar', () => {
  const sink = (isTTY: boolean): { isTTY: boolean; columns: number; out: string; write(s: string): boolean } => ({
    isTTY,
    columns: 80,
    out: '',
    write(s: string) {
      this.out += s;
      return true;
    },
  });

  it('draws a bar with the count and an ETA from the time per cell so far', () => {
    // 30 of 120 cells in 15 s: 0.5 s a cell, 90 to go = 45 s; a quarter of the 40-column bar filled.
    expect(progressLine('seed-flaw', 30, 120, 15_000, 80)).toBe(`seed-flaw [${'#'.repeat(10)}${'.'.repeat(30)}] 30/120 25% ETA 45s`);
    expect(progressLine('x', 0, 10, 0, 80)).toMatch(/\] 0\/10 0% ETA \?$/);
    expect(progressLine('x', 10, 10, 5000, 80)).toMatch(/\[#+\] 10\/10 100% ETA 0s$/);
  });

  it('writes to a terminal and clears the line at the end, and writes nothing to a pipe', () => {
    const tty = sink(true);
    const p = createProgress(tty, 'sweep');
    p.update(4, 4);
    p.end();
    expect(tty.out).toMatch(/^\r\u001b\[Ksweep \[#+\] 4\/4 100% ETA 0s\r\u001b\[K$/);
    const pipe = sink(false);
    const q = createProgress(pipe, 'sweep');
    q.update(1, 4);
    q.update(4, 4);
    q.end();
    expect(pipe.out).toBe('');
  });
});
