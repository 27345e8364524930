import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseDuration } from '../../src/time/duration.js';
import type { KernelCase } from './case.js';
import { buildHarness, grpcGoVersion } from './harness-build.js';
import { loadPathFaults, type PathDirection } from './path-faults.js';
import { createTopology, destroyTopology, OracleSetupError, type Topology } from './topology.js';

/** One event line of the harness (see oracle/grpc-go/harness.go), `t` rebased to the connect. */
export type HarnessEvent = { readonly t: number; readonly side: 'server' | 'client'; readonly ev: string; readonly [k: string]: unknown };

/** A recorded real run: everything a comparison needs, times in ns from the client's connect. */
export type KernelRun = {
  readonly case: string;
  readonly recorded: { readonly kernel: string; readonly grpcGo: string; readonly congestionControl: string };
  /** The client's connect, in ns after the harness epoch (everything else is rebased to it). */
  readonly connectAt: number;
  /** Jiffies at the connect and the tick length (from /proc/timer_list): the kernel's timer wheel phase. */
  readonly clock: { readonly jiffiesAtConnect: number; readonly tickNs: number } | undefined;
  /** Each outage as applied: when the rule was in place, and how long the kernel kept it. */
  readonly faults: readonly { readonly direction: PathDirection; readonly at: number; readonly for: number }[];
  readonly events: readonly HarnessEvent[];
  /** The two captures, as files (libpcap, microsecond stamps, wall clock). */
  readonly pcap: { readonly client: Buffer; readonly server: Buffer };
  /** The harness epoch as unix time in ns (the pcaps' clock minus this, minus connectAt, is run time). */
  readonly epochUnixNs: string;
};

/** The congestion control the model follows (Linux's default); the namespaces are set to it. */
export const ORACLE_CONGESTION_CONTROL = 'cubic';
/** Ticks per second of this machine's kernel (CONFIG_HZ), from the clock the harness reports. */
const LINUX_TICK_NS_DEFAULT = 4_000_000;

/** jiffies (fractional) at monotonic time `mono`, from a reading of `j` at monotonic `readAt`. */
export function jiffiesAt(j: number, readAt: number, mono: number, tickNs = LINUX_TICK_NS_DEFAULT): number {
  return j + Math.floor(mono / tickNs) - Math.floor(readAt / tickNs) + (mono % tickNs) / tickNs;
}

/** Flags for the server and client harness processes, from the case. */
export function harnessFlags(c: KernelCase): { server: string[]; client: string[] } {
  const server: string[] = [];
  const client: string[] = [];
  if (c.server.time !== undefined) server.push('-time', c.server.time);
  if (c.server.timeout !== undefined) server.push('-timeout', c.server.timeout);
  if (c.server.every !== undefined) server.push('-severy', c.server.every);
  if (c.client.time !== undefined) client.push('-ctime', c.client.time);
  if (c.client.timeout !== undefined) client.push('-ctimeout', c.client.timeout);
  if (c.client.permitWithoutStream === true) client.push('-cpermit');
  if (c.client.noStream === true) client.push('-nostream');
  if (c.client.sendFrom !== undefined) client.push('-sendfrom', c.client.sendFrom);
  if (c.client.every !== undefined) client.push('-every', c.client.every);
  const size = String(c.size ?? 200);
  return { server: [...server, '-size', size], client: [...client, '-size', size] };
}

type Proc = { readonly child: ChildProcess; readonly done: Promise<void> };

/**
 * The system calls on sockets that fail, as strace records them (seccomp-filtered, so the
 * traced process only stops on these few calls): each read or write error with its errno is
 * what the application's socket said. EAGAIN (Go's non-blocking reads) is dropped when parsed.
 */
const STRACE = ['strace', '-f', '--seccomp-bpf', '-Z', '-ttt', '-e', 'trace=read,write,writev,readv,recvfrom,sendto,recvmsg,sendmsg', '-e', 'signal=none'];

/** Starts `bin args` in `ns` under strace (its record to `traceFile`), feeding each JSON line it prints to `onLine`. */
function startInNs(ns: string, bin: string, args: readonly string[], onLine: (line: string) => void, traceFile: string): Proc {
  const child = spawn('ip', ['netns', 'exec', ns, ...STRACE, '-o', traceFile, bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', onLine);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGTERM' || signal === 'SIGINT') resolve();
      else reject(new OracleSetupError(`${bin} ${args.join(' ')}: exit ${code ?? signal}: ${stderr.trim().slice(0, 500)}`));
    });
  });
  return { child, done };
}

/** Starts tcpdump on `dev` in `ns`; resolves once it is capturing. */
function startCapture(ns: string, dev: string, file: string): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', dev, '-w', file, '-U', '-s', '0', '-n', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const done = new Promise<void>((res) => child.on('exit', () => res()));
    let said = '';
    const timer = setTimeout(() => reject(new OracleSetupError(`tcpdump on ${dev} did not start: ${said}`)), 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('listening on')) {
        clearTimeout(timer);
        resolve({ child, done });
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** strace's record of failed socket calls, as events on the harness clock (ns since `epoch`). */
function syscallErrors(file: string, side: 'server' | 'client', epoch: bigint): HarnessEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: HarnessEvent[] = [];
  for (const line of text.split('\n')) {
    // "PID 1733519956.834169 read(7, ..., 32768) = -1 ECONNRESET (Connection reset by peer)"
    const m = /^\d+ +(\d+)\.(\d+) (\w+)\((\d+),.* = -1 (\w+) \(([^)]*)\)/.exec(line);
    if (m === null || m[5] === 'EAGAIN') continue;
    const t = Number(BigInt(m[1] as string) * 1_000_000_000n + BigInt((m[2] as string).padEnd(9, '0')) - epoch);
    out.push({ t, side, ev: 'syscall-error', call: m[3], fd: Number(m[4]), errno: m[5], error: m[6] });
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const unixNs = (): bigint => BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor((performance.now() % 1) * 1e6));

/**
 * Runs one case for real: builds the harness if needed, makes the namespaces, captures both
 * sides, starts the server and the client, applies the outages at their times after the connect,
 * waits for both processes to finish (bounded: the case's length plus 15 s), and tears everything
 * down. `slot` keeps concurrent runs apart.
 */
export async function runKernelCase(c: KernelCase, slot = 0): Promise<KernelRun> {
  const bin = buildHarness();
  const work = mkdtempSync(join(tmpdir(), `kpsim-oracle-${c.name}-`));
  const topo: Topology = createTopology(slot);
  const faults = loadPathFaults(topo);
  const procs: Proc[] = [];
  const events: HarnessEvent[] = [];
  const runForNs = parseDuration(c.for);
  try {
    const captures = {
      client: await startCapture(topo.ns.client, topo.dev.client, join(work, 'client.pcap')),
      server: await startCapture(topo.ns.server, topo.dev.server, join(work, 'server.pcap')),
    };
    // The epoch is a little ahead, so both processes start before anything they log matters.
    const epoch = unixNs() + 200_000_000n;
    const sinceEpoch = (): number => Number(unixNs() - epoch);
    // Both processes run until about the connect plus the case's length, and exit by themselves
    // (the server a second after the client), so the tracer ends with them.
    const serverFor = `${Math.ceil((runForNs + 1.6e9) / 1e6)}ms`;
    const flags = harnessFlags(c);
    let connected!: (t: number) => void;
    const connectSeen = new Promise<number>((r) => (connected = r));
    const onLine = (line: string): void => {
      let e: HarnessEvent;
      try {
        e = JSON.parse(line) as HarnessEvent;
      } catch {
        return;
      }
      events.push(e);
      if (e.side === 'client' && e.ev === 'dialed') connected(e.t);
    };
    const server = startInNs(topo.ns.server, bin, ['-role', 'server', '-addr', `${topo.addr.server}:${topo.port}`, '-epoch', String(epoch), '-for', serverFor, '-cc', ORACLE_CONGESTION_CONTROL, ...flags.server], onLine, join(work, 'server.strace'));
    procs.push(server);
    await sleep(300);
    // The client runs from its connect (about 0.3-0.4 s after the epoch) for the case's length.
    const clientFor = `${Math.ceil((runForNs + 600e6) / 1e6)}ms`;
    const client = startInNs(topo.ns.client, bin, ['-role', 'client', '-addr', `${topo.addr.server}:${topo.port}`, '-epoch', String(epoch), '-for', clientFor, '-cc', ORACLE_CONGESTION_CONTROL, ...flags.client], onLine, join(work, 'client.strace'));
    procs.push(client);
    const connectAt = await Promise.race([connectSeen, sleep(15_000).then(() => Promise.reject(new OracleSetupError('the client did not connect within 15 s')))]);
    const applied: { direction: PathDirection; at: number; for: number }[] = [];
    const schedule = c.faults.flatMap((f) => (f.direction === 'both' ? (['clientToServer', 'serverToClient'] as const) : [f.direction]).map((d) => ({ d, at: parseDuration(f.at), len: parseDuration(f.for) })));
    schedule.sort((a, b) => a.at - b.at);
    for (const f of schedule) {
      await sleep((connectAt + f.at - sinceEpoch()) / 1e6);
      await faults.down(f.d, f.len / 1e6);
      applied.push({ direction: f.d, at: sinceEpoch() - connectAt, for: f.len });
    }
    const bound = (p: Proc, extra: number) => Promise.race([p.done, sleep((connectAt + runForNs + extra - sinceEpoch()) / 1e6).then(() => p.child.kill('SIGKILL'))]);
    await bound(client, 15e9);
    await bound(server, 17e9);
    await sleep(200);
    for (const cap of Object.values(captures)) cap.child.kill('SIGINT');
    await Promise.all(Object.values(captures).map((cap) => cap.done));
    const clockEv = events.find((e) => e.ev === 'clock' && typeof e['jiffies'] === 'number');
    const clock =
      clockEv === undefined
        ? undefined
        : {
            // jiffies at the connect, fractional. The tick is an hrtimer on CLOCK_MONOTONIC
            // multiples of the tick length (/proc/timer_list shows tick_nohz_handler expiring at
            // them), so jiffies count whole ticks of monotonic time from the reading.
            jiffiesAtConnect: jiffiesAt(clockEv['jiffies'] as number, clockEv['timerListNowNs'] as number, (clockEv['monoNs'] as number) - (clockEv.t - connectAt)),
            tickNs: LINUX_TICK_NS_DEFAULT,
          };
    return {
      case: c.name,
      recorded: { kernel: release(), grpcGo: grpcGoVersion(), congestionControl: ORACLE_CONGESTION_CONTROL },
      connectAt,
      clock,
      faults: applied,
      events: [...events, ...syscallErrors(join(work, 'client.strace'), 'client', epoch), ...syscallErrors(join(work, 'server.strace'), 'server', epoch)]
        .map((e) => ({ ...e, t: e.t - connectAt }))
        .sort((a, b) => a.t - b.t),
      pcap: { client: readFileSync(join(work, 'client.pcap')), server: readFileSync(join(work, 'server.pcap')) },
      epochUnixNs: String(epoch),
    };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    faults.close();
    destroyTopology(topo);
    rmSync(work, { recursive: true, force: true });
  }
}
