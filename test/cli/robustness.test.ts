import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';

/**
 * One case per class of input that used to exhaust the machine or end in an internal error:
 * each must give a one-line error, or complete (or stop at its budget) with peak RSS under 1 GB.
 * Every spawn is bounded by a kill timer; the peak RSS comes from the CLI itself
 * (KPSIM_PEAK_RSS_FILE, getrusage's ru_maxrss).
 */
// The `kpsim` bin, as a user runs it: kpsim in this one process, so signals reach it directly.
const BIN = join(process.cwd(), 'bin', 'kpsim.js');
const GB = 1024 * 1024; // in KiB
const dir = mkdtempSync(join(tmpdir(), 'kpsim-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; peakKiB: number };
type Opts = { cwd?: string; stdoutFile?: string; killAfterMs?: number; signalAfterMs?: { ms: number; signal: NodeJS.Signals }; shell?: string };

let runs = 0;
function kpsim(args: readonly string[], o: Opts = {}): Promise<Run> {
  const peak = join(dir, `peak-${runs++}`);
  return new Promise((resolve, reject) => {
    const out = o.stdoutFile === undefined ? 'pipe' : openSync(o.stdoutFile, 'w');
    const cmd = o.shell === undefined ? process.execPath : 'sh';
    const argv = o.shell === undefined ? [BIN, ...args] : ['-c', `${o.shell}; exec "$0" "$@"`, process.execPath, BIN, ...args];
    const child = spawn(cmd, argv, { cwd: o.cwd ?? process.cwd(), env: { ...process.env, NO_COLOR: '1', KPSIM_PEAK_RSS_FILE: peak }, stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    let stdout = '';
    let stderr = '';
    // Only the last 64 KiB of standard output is kept (some cases print megabytes).
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-65536)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 60_000);
    const signaller = o.signalAfterMs === undefined ? undefined : setTimeout(() => child.kill(o.signalAfterMs?.signal), o.signalAfterMs.ms);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      if (signaller !== undefined) clearTimeout(signaller);
      const peakKiB = existsSync(peak) ? Number(readFileSync(peak, 'utf8')) : Number.NaN;
      resolve({ status, signal, stdout, stderr, peakKiB });
    });
  });
}

/** Exit `code`, one stderr line starting `kpsim: `, no stack, within the memory bound. */
function oneLine(r: Run, code = 2): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(r.status, r.stderr).toBe(code);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]?.startsWith('kpsim: ')).toBe(true);
  expect(r.stderr).not.toMatch(/internal error|^\s+at |FATAL/m);
  expect(r.peakKiB).toBeLessThan(GB);
  return lines[0] ?? '';
}

const SET_UNARY_1E9 = 'workload=[{"type":"unary","at":"1s","every":"1ns","count":1000000000}]';
const SET_MESSAGES_1NS = 'workload=[{"type":"stream","at":"0s","client":{"every":"1ns","size":10}}]';

describe('inputs that are not files, too large, or too deep', { timeout: 120_000 }, () => {
  it('refuses devices, FIFOs and oversized files before reading them', async () => {
    const fifo = join(dir, 'fifo');
    await new Promise<void>((res, rej) => spawn('mkfifo', [fifo]).on('close', (c) => (c === 0 ? res() : rej(new Error('mkfifo')))));
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"name":"x","description":"${'a'.repeat(17 * 1024 * 1024)}"}`);
    const [zero, pipe, huge, capture] = await Promise.all([kpsim(['run', '/dev/zero']), kpsim(['run', fifo]), kpsim(['run', big]), kpsim(['replay', '/dev/zero'])]);
    expect(oneLine(zero)).toMatch(/"\/dev\/zero" is not a regular file/);
    expect(oneLine(pipe)).toMatch(/is not a regular file/);
    expect(oneLine(huge)).toMatch(/is 17 MiB, more than kpsim reads as a scenario file \(16 MiB\)/);
    expect(oneLine(capture)).toMatch(/not a regular file/);
  });

  it('refuses nesting beyond 64 levels, in a file and in a --set value, naming where', async () => {
    const arr = join(dir, 'deep-array.json');
    const obj = join(dir, 'deep-object.json');
    writeFileSync(arr, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    writeFileSync(obj, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    const [a, o, s] = await Promise.all([kpsim(['run', arr]), kpsim(['run', obj]), kpsim(['run', 'seed-flaw', '--set', `workload=${'['.repeat(5000)}${']'.repeat(5000)}`])]);
    expect(oneLine(a)).toMatch(/line 1, column 65: nested more than 64 levels deep/);
    expect(oneLine(o)).toMatch(/line 1, column 321: nested more than 64 levels deep/);
    expect(oneLine(s)).toMatch(/^kpsim: --set workload: .*nested more than 64 levels deep/);
  });

  it('refuses a key given twice and a flag given twice', async () => {
    const dup = join(dir, 'dup.json');
    writeFileSync(dup, '{\n  "name": "x",\n  "workload": [{"type": "unary", "at": "1s", "at": "2s"}]\n}');
    const [k, f, neg] = await Promise.all([kpsim(['run', dup]), kpsim(['run', 'seed-flaw', '--seed', '1', '--seed=2']), kpsim(['run', 'seed-flaw', '--clamp', '--no-clamp'])]);
    expect(oneLine(k)).toMatch(/line 3, column 46: workload\.0: key "at" is given twice/);
    expect(oneLine(f)).toBe('kpsim: --seed is given more than once; give it once (only --set repeats)');
    expect(oneLine(neg)).toMatch(/--no-clamp is given more than once/);
  });
});

describe('runs too large for their budgets', { timeout: 180_000 }, () => {
  it('refuses up front a workload that alone takes more events than the budget', async () => {
    const [unary, messages] = await Promise.all([kpsim(['run', 'seed-flaw', '--json', '--set', SET_UNARY_1E9]), kpsim(['run', 'seed-flaw', '--json', '--set', 'horizon=1s', '--set', SET_MESSAGES_1NS])]);
    expect(oneLine(unary)).toMatch(/at least 6,000,000,000 events \(workload\.0: 1,000,000,000 unary calls within the horizon\), more than the event budget of 50,000,000/);
    expect(oneLine(messages)).toMatch(/999,999,999 stream messages/);
  });

  it('stops at the event and memory budgets with its output so far, saying which, exit 3', async () => {
    const out = join(dir, 'stopped.txt');
    const [events, memory] = await Promise.all([
      kpsim(['run', 'seed-fix', '--set', 'horizon=100h', '--max-events', '100000', '--trace', 'jsonl']),
      kpsim(['run', 'seed-flaw', '--trace', 'text', '--set', 'horizon=1s', '--set', 'workload=[{"type":"stream","at":"0s","client":{"every":"1us","size":10}}]', '--max-memory', '150MiB', '--out', out]),
    ]);
    expect(oneLine(events, 3)).toMatch(/run stopped: the event budget \(100,000 events, --max-events\) ran out at/);
    const last = events.stdout.trim().split('\n').slice(-2).map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(last).toEqual(['stopped', 'outcome']);
    // The memory case also reports where it wrote: two lines, the last the budget.
    expect(memory.status).toBe(3);
    expect(memory.stderr).toMatch(/wrote .*stopped\.txt\nkpsim: run stopped: the memory budget \(150 MiB, --max-memory\) was reached/);
    expect(readFileSync(out, 'utf8')).toMatch(/stopped before the end of the run: the memory budget/);
    expect(memory.peakKiB).toBeLessThan(GB);
  });

  it('a 30-day traced run completes, its timeline streamed to the file', async () => {
    const out = join(dir, 'month.txt');
    const r = await kpsim(['run', 'lossy-mobile', '--set', 'server.keepalive.time=30s', '--set', 'server.keepalive.timeout=90s', '--set', 'horizon=720h', '--trace', 'text', '--out', out], { killAfterMs: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.peakKiB).toBeLessThan(GB);
    const text = readFileSync(out, 'utf8');
    // Days of timeline (it used to overflow the stack past about a day), and a verdict at the end.
    expect(text.split('\n').length).toBeGreaterThan(100_000);
    expect(text).toMatch(/\nverdict\n/);
  });
});

describe('output that is whole or absent', { timeout: 120_000 }, () => {
  it('what was printed before a non-error exit still goes out: help', async () => {
    const [top, run] = await Promise.all([kpsim(['--help']), kpsim(['run', '--help'])]);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Usage: kpsim \[options\] \[command\]/);
    expect(run.stdout).toMatch(/^Usage: kpsim run \[options\] <scenario>[\s\S]*--max-memory <size>/);
  });

  it('a full standard output is an error, exit 74', async () => {
    const r = await kpsim(['run', 'seed-flaw'], { stdoutFile: '/dev/full' });
    expect(oneLine(r, 74)).toMatch(/^kpsim: cannot write standard output: ENOSPC/);
  });

  it('a write that fails leaves the old file and no temporary one', async () => {
    const sub = mkdtempSync(join(dir, 'fsize-'));
    const keep = join(sub, 'keep.txt');
    writeFileSync(keep, 'old\n');
    // RLIMIT_FSIZE as a stand-in for a full disk: writes past 32 KiB fail with EFBIG.
    const r = await kpsim(['run', 'seed-fix', '--set', 'horizon=10h', '--trace', 'text', '--out', keep], { shell: 'trap "" XFSZ; ulimit -f 64' });
    expect(oneLine(r, 74)).toMatch(/cannot write ".*keep\.txt": EFBIG.*nothing was written there/);
    expect(readFileSync(keep, 'utf8')).toBe('old\n');
    expect(readdirSync(sub)).toEqual(['keep.txt']);
  });

  it('refuses two outputs naming one file, and an output naming the scenario file', async () => {
    const x = join(dir, 'same');
    const scenario = join(dir, 'in.json');
    writeFileSync(scenario, '{"name":"in"}');
    const [both, over] = await Promise.all([kpsim(['run', 'seed-flaw', '--out', x, '--pcap', x]), kpsim(['run', scenario, '--out', scenario])]);
    expect(oneLine(both)).toMatch(/--pcap ".*same" names the same file as --out/);
    expect(oneLine(over)).toMatch(/--out ".*in\.json" names the same file as the scenario file/);
    expect(readFileSync(scenario, 'utf8')).toBe('{"name":"in"}');
  });
});

describe('interrupts', { timeout: 120_000 }, () => {
  it('SIGINT during a sweep writing --html leaves no file, says so, exit 130', async () => {
    const html = join(dir, 'report.html');
    const r = await kpsim(['sweep', 'seed-flaw', '--html', html, '--workers', '1'], { signalAfterMs: { ms: 4000, signal: 'SIGINT' } });
    expect(oneLine(r, 130)).toMatch(/^kpsim: interrupted \(SIGINT\) after \d+ of 144 cells: nothing was written/);
    expect(existsSync(html)).toBe(false);
  });

  it('SIGTERM during a long traced run leaves no --out file, says where it was, exit 143', async () => {
    const out = join(dir, 'long.txt');
    const r = await kpsim(['run', 'seed-fix', '--set', 'horizon=2000h', '--trace', 'text', '--out', out], { signalAfterMs: { ms: 3500, signal: 'SIGTERM' } });
    expect(oneLine(r, 143)).toMatch(/^kpsim: interrupted \(SIGTERM\) at [\d.]+s of virtual time after [\d,]+ events: .*long\.txt was not written/);
    expect(readdirSync(dir).filter((f) => f.includes('long.txt'))).toEqual([]);
  });
});

describe('untrusted strings', { timeout: 120_000 }, () => {
  it('a scenario name or description with control characters is refused; none reach the terminal', async () => {
    const esc = join(dir, 'esc.json');
    writeFileSync(esc, JSON.stringify({ name: 'a\u001b[2Jb' }));
    const bidi = join(dir, 'bidi.json');
    writeFileSync(bidi, JSON.stringify({ name: 'ok', description: 'look \u202e here' }));
    const [e, b, path] = await Promise.all([kpsim(['run', esc]), kpsim(['run', bidi]), kpsim(['run', `x\u009b2J\u001b[31m`])]);
    expect(oneLine(e)).toMatch(/name: must not contain control characters \(U\+001B at character 2\)/);
    expect(oneLine(b)).toMatch(/description: must not contain control characters \(U\+202E at character 6\)/);
    expect(oneLine(path)).toContain('no built-in scenario or file named "x\\x9b2J\\u001b[31m"');
    for (const r of [e, b, path]) expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("hunt's default save path never leaves the current directory", async () => {
    const cwd = mkdtempSync(join(dir, 'hunt-'));
    const scenario = join(cwd, 'in.json');
    writeFileSync(scenario, JSON.stringify({ ...(BUILTIN_SCENARIOS['seed-flaw'] as object), name: '../../escape' }));
    const r = await kpsim(['hunt', scenario, '--runs', '40'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/saved/i);
    expect(readdirSync(cwd).sort()).toEqual(['__.._escape-counterexample.json', 'in.json']);
    expect(existsSync(join(dir, 'escape-counterexample.json'))).toBe(false);
  });
});
