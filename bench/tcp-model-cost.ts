/**
 * The cost of the Linux TCP model (src/transport/linux, issue 11) against the TCP model it
 * replaced, in one bench run: the idle trace-off cycle (bench/run.ts's first entry) timed in
 * child processes that alternate between this checkout and the source tree of BASELINE_COMMIT,
 * the last commit with the old model, taken out of git into a scratch folder under the
 * repository (so that its imports resolve to the same node_modules).
 *
 * Alternating rounds spread the machine's noise over both sides; each child warms up, then
 * reports the CPU time of each repetition, and the ratio compares medians over all rounds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The last commit with the previous TCP model (a per-direction segment model without a Linux socket). */
export const BASELINE_COMMIT = '9420abb';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The child: loads the simulator from the tree given as its first argument, runs the idle
 * scenario `reps` times after one warm-up, prints CPU and wall ms per rep.
 */
const CHILD = `
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
const [root, spec] = process.argv.slice(2);
const [input, reps] = JSON.parse(spec);
const { parseScenario } = await import(pathToFileURL(join(root, 'src/scenario/load.ts')).href);
const { runScenario } = await import(pathToFileURL(join(root, 'src/sim/world.ts')).href);
const sc = parseScenario(input, 'bench');
const run = () => runScenario(sc, { trace: false }).outcome.framesSent.server['PING'] ?? 0;
run();
const out = [];
for (let i = 0; i < reps; i++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const cycles = run();
  const c = process.cpuUsage(c0);
  out.push({ cycles, cpuMs: (c.user + c.system) / 1e3, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 });
}
console.log(JSON.stringify(out));
`;

type Rep = { readonly cycles: number; readonly cpuMs: number; readonly wallMs: number };

export type ModelCost = {
  readonly baseline: string;
  readonly baselineCyclesPerCpuSecond: number;
  readonly currentCyclesPerCpuSecond: number;
  readonly baselineCyclesPerSecond: number;
  readonly currentCyclesPerSecond: number;
  /** Baseline CPU-time rate divided by the current one: how many times slower the new model is. */
  readonly slowdown: number;
  readonly cycles: number;
  readonly repsPerSide: number;
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The baseline's source tree, extracted once; undefined (with the reason) when git cannot give it. */
function baselineTree(): { dir: string } | { why: string } {
  const dir = join(repo, '.bench-baseline', BASELINE_COMMIT);
  if (existsSync(join(dir, 'src', 'sim', 'world.ts'))) return { dir };
  try {
    execFileSync('git', ['-C', repo, 'cat-file', '-e', `${BASELINE_COMMIT}^{commit}`], { stdio: 'ignore' });
  } catch {
    return { why: `commit ${BASELINE_COMMIT} is not in this clone's history (a shallow clone?)` };
  }
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tar = execFileSync('git', ['-C', repo, 'archive', '--format=tar', BASELINE_COMMIT, 'src']);
  execFileSync('tar', ['-x', '-C', tmp], { input: tar });
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mv', [tmp, dir]);
  return { dir };
}

function runChild(script: string, root: string, input: unknown, reps: number): Rep[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, root, JSON.stringify([input, reps])], { cwd: repo, encoding: 'utf8', timeout: 600_000 });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`bench child for ${root} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Rep[];
}

export function benchTcpModelCost(input: unknown, rounds: number, repsPerRound: number): ModelCost | { readonly unavailable: string } {
  const base = baselineTree();
  if ('why' in base) return { unavailable: base.why };
  const script = join(repo, '.bench-baseline', 'child.mts');
  writeFileSync(script, CHILD);
  const sides = { baseline: [] as Rep[], current: [] as Rep[] };
  for (let i = 0; i < rounds; i++) {
    sides.baseline.push(...runChild(script, base.dir, input, repsPerRound));
    sides.current.push(...runChild(script, repo, input, repsPerRound));
  }
  const cycles = sides.current[0]?.cycles ?? 0;
  const perCpu = (xs: Rep[]): number => Math.round(((xs[0]?.cycles ?? 0) * 1000) / median(xs.map((x) => x.cpuMs)));
  const perWall = (xs: Rep[]): number => Math.round(((xs[0]?.cycles ?? 0) * 1000) / median(xs.map((x) => x.wallMs)));
  const b = perCpu(sides.baseline);
  const c = perCpu(sides.current);
  return {
    baseline: BASELINE_COMMIT,
    baselineCyclesPerCpuSecond: b,
    currentCyclesPerCpuSecond: c,
    baselineCyclesPerSecond: perWall(sides.baseline),
    currentCyclesPerSecond: perWall(sides.current),
    slowdown: Number((b / c).toFixed(2)),
    cycles,
    repsPerSide: rounds * repsPerRound,
  };
}
