import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, kpsim } from './kpsim-process.js';

/**
 * End-to-end checks of `kpsim` as a user runs it: each case spawns the real CLI through tsx (about
 * half a second each), so cases are grouped and the spawns of a group run concurrently.
 */

const tmp = mkdtempSync(join(tmpdir(), 'kpsim-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TIMEOUT = 60_000;

describe('kpsim list / run', () => {
  it(
    'lists the built-ins and runs one as --json, with and without a --set override',
    async () => {
      const [list, flaw, fixed] = await Promise.all([
        kpsim('list'),
        kpsim('run', 'seed-flaw', '--json'),
        kpsim('run', 'seed-flaw', '--json', '--set', 'server.keepalive.timeout=90s'),
      ]);
      expect(list.status).toBe(0);
      for (const name of ['seed-flaw', 'seed-fix', 'too-many-pings', 'dead-client']) expect(list.stdout).toMatch(new RegExp(`^${name} +\\S`, 'm'));

      expect(flaw.status).toBe(0);
      expect(flaw.stderr).toBe('');
      const a = JSON.parse(flaw.stdout) as Record<string, unknown>;
      expect(a).toMatchObject({ scenario: 'seed-flaw', closed: true, closedBy: 'server', reason: 'keepalive ping not acked within timeout 5s' });
      expect(typeof a['closedAtMs']).toBe('number');
      expect(a['framesSent']).toMatchObject({ server: { PING: expect.any(Number) as number }, client: { PING_ACK: expect.any(Number) as number } });
      expect(a['framesReceived']).toHaveProperty('server');
      expect(flaw.stdout).toMatch(/^\{\n {2}"scenario"/);

      expect(fixed.status).toBe(0);
      const b = JSON.parse(fixed.stdout) as Record<string, unknown>;
      expect(b).toMatchObject({ scenario: 'seed-flaw', closed: false, closedAtMs: null, closedBy: null, reason: null });
      expect(b['settings']).toMatchObject({ server: { timeoutMs: 90_000 } });
    },
    TIMEOUT,
  );

  it(
    'prints the text timeline by default and identical JSON lines on every run, to stdout or --out',
    async () => {
      const out = join(tmp, 'trace.jsonl');
      const [text, first, second, toFile] = await Promise.all([
        kpsim('run', 'seed-flaw'),
        kpsim('run', 'seed-flaw', '--trace', 'jsonl'),
        kpsim('run', 'seed-flaw', '--trace', 'jsonl'),
        kpsim('run', 'seed-flaw', '--trace', 'jsonl', '--out', out),
      ]);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^scenario {2}seed-flaw\n/);
      expect(text.stdout).toContain('\nverdict\n');
      expect(text.stdout).not.toContain('\u001b[');

      expect(first.status).toBe(0);
      expect(first.stdout.length).toBeGreaterThan(0);
      expect(second.stdout).toBe(first.stdout);
      const kinds = first.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind);
      expect(kinds[0]).toBe('run');
      expect(kinds.at(-1)).toBe('outcome');

      expect(toFile.status).toBe(0);
      expect(toFile.stdout).toBe('');
      expect(toFile.stderr).toBe(`wrote ${out}\n`);
      expect(readFileSync(out, 'utf8')).toBe(first.stdout);
    },
    TIMEOUT,
  );
});

describe('kpsim errors', () => {
  it(
    'rejects malformed scenario files with exit 2 and one line naming the field',
    async () => {
      const base = { name: 'bad', server: { keepalive: { time: '60s', timeout: '5s' } }, client: {} };
      const files = {
        wrongType: { ...base, server: { keepalive: { time: 60 } } },
        unknownField: { ...base, server: { keepalive: { time: '60s', timeuot: '5s' } } },
        negative: { ...base, server: { keepalive: { time: '60s', timeout: '-5s' } } },
        unparsable: { ...base, server: { keepalive: { time: '60 seconds' } } },
      };
      const paths = Object.fromEntries(
        Object.entries(files).map(([k, v]) => {
          const p = join(tmp, `${k}.json`);
          writeFileSync(p, JSON.stringify(v, null, 2));
          return [k, p];
        }),
      );
      const syntax = join(tmp, 'syntax.json');
      writeFileSync(syntax, '{\n  "name": "bad",\n  "server": {,}\n}\n');
      const [wrongType, unknownField, negative, unparsable, badJson] = await Promise.all([
        kpsim('run', paths['wrongType'] ?? ''),
        kpsim('run', paths['unknownField'] ?? ''),
        kpsim('run', paths['negative'] ?? ''),
        kpsim('run', paths['unparsable'] ?? ''),
        kpsim('run', syntax),
      ]);
      expect(expectOneLineError(wrongType)).toContain('server.keepalive.time: expected a duration string, got number 60');
      expect(expectOneLineError(unknownField)).toMatch(/server\.keepalive: unknown field "timeuot"/);
      expect(expectOneLineError(negative)).toContain('server.keepalive.timeout:');
      expect(expectOneLineError(negative)).toContain('negative');
      expect(expectOneLineError(unparsable)).toContain('server.keepalive.time:');
      expect(expectOneLineError(badJson)).toMatch(/syntax\.json: line 3, column \d+: invalid JSON/);
    },
    TIMEOUT,
  );

  it(
    'turns usage errors (unknown command, flag, scenario, bad seed, bad --set) into exit 2 and one line',
    async () => {
      const [command, flag, missing, seed, set] = await Promise.all([
        kpsim('frobnicate'),
        kpsim('run', 'seed-flaw', '--frobnicate'),
        kpsim('run', 'no-such-scenario'),
        kpsim('run', 'seed-flaw', '--seed', '-1'),
        kpsim('run', 'seed-flaw', '--set', 'server.keepalive.timeout=soon'),
      ]);
      expect(expectOneLineError(command)).toContain("unknown command 'frobnicate'");
      expect(expectOneLineError(flag)).toContain("unknown option '--frobnicate'");
      expect(expectOneLineError(missing)).toBe('kpsim: no built-in scenario or file named "no-such-scenario" (try "kpsim list")');
      expect(expectOneLineError(seed)).toContain('--seed');
      expect(expectOneLineError(set)).toContain('builtin:seed-flaw: server.keepalive.timeout:');
    },
    TIMEOUT,
  );
});
