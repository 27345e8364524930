/**
 * How capture analysis (read, decode, TCP reassembly, HTTP/2 frames: `analyzeCapture`) grows with
 * the capture: n and 2n one-byte segments in three shapes (test/capture/capture-builders.ts):
 * reversed, shuffled, and overlapping retransmissions over a buffered piece at every other byte.
 * The figure is time(2n) / time(n): about 2 for linear or n log n work, about 4 for quadratic.
 *
 * `root` times another source tree instead of this one (a checkout of an older commit, with
 * node_modules resolvable from it): the captures are built here either way, so both trees read
 * the same bytes. Wall-clock reads are allowed here (bench/ is outside src/).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scrambledCapture, type ScrambleShape } from '../test/capture/capture-builders.js';

export type CaptureScalingOptions = {
  /** Segments in the smaller capture (the larger has twice as many). @default 50_000 */
  readonly n?: number;
  /** Timed repetitions per size, after one warm-up; medians are reported. @default 5 */
  readonly reps?: number;
  /** Source tree to time. @default this checkout */
  readonly root?: string;
  /** @default all three */
  readonly shapes?: readonly ScrambleShape[];
};

export type CaptureScalingEntry = {
  readonly name: string;
  /** Median CPU seconds at 2n divided by those at n. */
  readonly value: number;
  readonly unit: 'x';
  readonly note: string;
  readonly shape: ScrambleShape;
  readonly segments: readonly [number, number];
  readonly medianSeconds: readonly [number, number];
  readonly cpuSeconds: readonly [number, number];
  readonly reps: number;
};

type Analyze = (bytes: Uint8Array) => { readonly connections: readonly { readonly tcp: { readonly fromInitiator: { readonly bytes: Uint8Array } } }[] };

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const time = (analyze: Analyze, pcap: Uint8Array, reps: number, expectBytes: number): { seconds: number; cpu: number } => {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const a = analyze(pcap);
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    cpu.push((c.user + c.system) / 1e6);
    const got = a.connections[0]?.tcp.fromInitiator.bytes.length;
    if (got !== expectBytes) throw new Error(`capture-scaling: reassembled ${got} bytes, expected ${expectBytes}`);
  }
  return { seconds: median(wall), cpu: median(cpu) };
};

export async function benchCaptureScaling(options: CaptureScalingOptions = {}): Promise<CaptureScalingEntry[]> {
  const n = options.n ?? 50_000;
  const reps = options.reps ?? 5;
  const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { analyzeCapture } = (await import(pathToFileURL(join(root, 'src/capture/capture.ts')).href)) as { analyzeCapture: Analyze };
  const out: CaptureScalingEntry[] = [];
  for (const shape of options.shapes ?? (['reversed', 'shuffled', 'retransmitted'] as const)) {
    const small = scrambledCapture(n, shape).pcap;
    const large = scrambledCapture(2 * n, shape).pcap;
    time(analyzeCapture, small, 1, n); // warm-up
    const a = time(analyzeCapture, small, reps, n);
    const b = time(analyzeCapture, large, reps, 2 * n);
    out.push({
      name: `capture_analysis_doubling_${shape}`,
      value: Number((b.cpu / a.cpu).toFixed(2)),
      unit: 'x',
      note: 'analyzeCapture CPU time at 2n one-byte segments divided by n: about 2 is linear or n log n, 4 quadratic',
      shape,
      segments: [n, 2 * n],
      medianSeconds: [a.seconds, b.seconds],
      cpuSeconds: [a.cpu, b.cpu],
      reps,
    });
  }
  return out;
}
