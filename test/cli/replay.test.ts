import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_NANOS } from '../../src/capture/capture.js';
import { expectOneLineError, kpsim } from './kpsim-process.js';

/**
 * `kpsim run --pcap` and `kpsim replay` end to end (issue 6): a capture kpsim writes, replayed
 * with the settings of the run that wrote it, gives that run's verdict at the same instant on the
 * capture's clock; and the user mistakes around them are one-line errors.
 */

const tmp = mkdtempSync(join(tmpdir(), 'kpsim-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const TIMEOUT = 60_000;

/** An instant of a kpsim run on the clock of the pcap it wrote (time 0 = DEFAULT_EPOCH_NANOS). */
function runClock(ms: number): string {
  const ns = DEFAULT_EPOCH_NANOS + BigInt(Math.round(ms * 1e6));
  const whole = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${whole}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

describe('kpsim replay of a pcap kpsim wrote', () => {
  it(
    'seed-flaw: the same verdict as the run, at the same instant; with Timeout 90s the model keeps the connection',
    async () => {
      const file = join(tmp, 'seed-flaw.pcap');
      const [run, wrote] = await Promise.all([kpsim('run', 'seed-flaw', '--json'), kpsim('run', 'seed-flaw', '--json', '--pcap', file)]);
      expect(wrote.status).toBe(0);
      expect(wrote.stdout).toBe(run.stdout);
      const original = JSON.parse(run.stdout) as { closed: boolean; closedAtMs: number; closedBy: string; reason: string };
      expect(original).toMatchObject({ closed: true, closedBy: 'server' });

      const [same, longer, text] = await Promise.all([
        kpsim('replay', file, '--scenario', 'seed-flaw', '--json'),
        kpsim('replay', file, '--scenario', 'seed-flaw', '--server-timeout', '90s', '--json'),
        kpsim('replay', file, '--server-time', '60s', '--server-timeout', '5s'),
      ]);
      expect(same.status).toBe(0);
      const r = JSON.parse(same.stdout) as Record<string, unknown>;
      expect(r).toMatchObject({ closed: true, closedBy: 'server', reason: original.reason, cause: 'keepalive', connections: 1 });
      // Replay time 0 is the capture's first packet (the SYN kpsim lays out before the run's time
      // 0), so compare on the capture's clock.
      expect(r['closedAtUtc']).toBe(runClock(original.closedAtMs));
      // The capture shows no FIN from the server (Linux 6.10+ held it behind the unacknowledged
      // PING) but its RST, answering the held ACK when that lands 1.02 s after the close.
      expect((r['captured'] as { closedBy: { atMs: number; how: string } }).closedBy.how).toBe('RST');
      expect((r['captured'] as { closedBy: { atMs: number } }).closedBy.atMs).toBe((r['closedAtMs'] as number) + 1020);

      expect(longer.status).toBe(0);
      expect(JSON.parse(longer.stdout)).toMatchObject({ closed: false, closedAtMs: null, closedBy: null });

      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^model {3}the server would have closed the connection at 65\.033s \(2023-11-14T22:14:25\.030000000Z\): keepalive ping not acked within timeout 5s$/m);
      expect(text.stdout).toMatch(/^capture the real server sent RST at 66\.053s$/m);
    },
    TIMEOUT,
  );

  it(
    'replays the recorded Node http2 exchange: grpc-go defaults would not have closed it',
    async () => {
      const r = await kpsim('replay', 'test/fixtures/node-http2-ping.pcapng', '--json');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ closed: false, side: 'server', captured: { peerClosed: { how: 'FIN' } } });
    },
    TIMEOUT,
  );
});

describe('kpsim run --pcap / --trace-bytes / replay: user mistakes', () => {
  it(
    'one line, exit 2, naming what is wrong',
    async () => {
      const notCapture = join(tmp, 'notes.txt');
      writeFileSync(notCapture, 'these are not packets\n');
      const [bad, missing, stream, scripted, bytesNoJsonl] = await Promise.all([
        kpsim('replay', notCapture),
        kpsim('replay', join(tmp, 'absent.pcap')),
        kpsim('replay', 'test/fixtures/node-http2-ping.pcapng', '--stream', '7'),
        kpsim('run', 'seed-flaw', '--set', 'network.model=scripted', '--pcap', join(tmp, 'x.pcap')),
        kpsim('run', 'seed-flaw', '--trace-bytes'),
      ]);
      expect(expectOneLineError(bad)).toMatch(/notes\.txt: not a capture kpsim can read: .*magic/);
      expect(expectOneLineError(missing)).toMatch(/cannot read ".*absent\.pcap"/);
      expect(expectOneLineError(stream)).toMatch(/no TCP connection 7; it has 0 \(/);
      expect(expectOneLineError(scripted)).toMatch(/--pcap and --trace-bytes need the TCP network/);
      expect(expectOneLineError(bytesNoJsonl)).toMatch(/--trace-bytes goes with --trace jsonl/);
    },
    TIMEOUT,
  );

  it(
    '--trace jsonl --trace-bytes: each sent frame carries its octets, the client\'s first starting with the preface',
    async () => {
      const r = await kpsim('run', 'seed-flaw', '--trace', 'jsonl', '--trace-bytes');
      expect(r.status).toBe(0);
      const sends = r.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { kind: string; actions?: { type: string; octets?: string; frame?: { type: string } }[] })
        .flatMap((rec) => rec.actions ?? [])
        .filter((a) => a.type === 'sendFrame');
      expect(sends.length).toBeGreaterThan(10);
      for (const a of sends) expect(a.octets).toMatch(/^([0-9a-f]{2})+$/);
      expect(sends[0]?.octets?.startsWith(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n').toString('hex'))).toBe(true);
      // A keepalive PING: 9-octet header (length 8, type 6, no flags, stream 0) and 8 payload octets.
      const ping = sends.find((a) => a.frame?.type === 'PING');
      expect(ping?.octets).toMatch(/^000008060000000000[0-9a-f]{16}$/);
    },
    TIMEOUT,
  );
});
