/**
 * Fuzz campaigns. `npm run fuzz -- [--target NAME|all] [--minutes N] [--seed S]`: runs each target
 * in fuzz/targets/ (all by default, the time budget split evenly) in chunks that let the event
 * loop turn (fuzz/campaign.ts), so memory stays flat however long the campaign. Every 10 s a
 * progress line goes to stderr; at the end of each target one JSON line to stdout: inputs run,
 * inputs/s, failures, the process's RSS and V8 heap in use (start, peak, end, MB) and the slowest
 * input (its number, its time, and its time when run again alone). A failing input is saved under fuzz/regressions/TARGET/ (replayed
 * by test/fuzz/regressions.test.ts from then on) and the run exits 1 with what reproduces it.
 * Wall-clock reads are fine here: this is a tool around the simulator, not the simulator.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runCampaign, type CampaignResult } from './campaign.js';
import { loadTargets } from './targets.js';

const args = process.argv.slice(2);
const USAGE = 'usage: npm run fuzz -- [--target NAME|all] [--minutes N] [--seed S]\n';
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
// Every argument is a known flag followed by its value: anything else is a mistake, not a default run.
const FLAGS = new Set(['--target', '--minutes', '--seed']);
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i] as string;
  if (!FLAGS.has(flag)) {
    process.stderr.write(`fuzz: unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    process.exit(2);
  }
  if (args[i + 1] === undefined) {
    process.stderr.write(`fuzz: ${flag} needs a value\n${USAGE}`);
    process.exit(2);
  }
}
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positive = (name: string, fallback: number): number => {
  const raw = option(name);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`fuzz: ${name} expects a positive number, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return v;
};
const minutes = positive('--minutes', 1);
const seed = Math.floor(positive('--seed', Date.now() % 0x7fffffff));
const wanted = option('--target') ?? 'all';

const all = await loadTargets();
const targets = wanted === 'all' ? all : all.filter((t) => t.name === wanted);
if (targets.length === 0) {
  process.stderr.write(`fuzz: no target named ${JSON.stringify(wanted)}; targets: ${all.map((t) => t.name).join(', ')}\n`);
  process.exit(2);
}
const budgetMs = (minutes * 60_000) / targets.length;
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
const memoryMb = (m: CampaignResult['rss']) => ({ start: mb(m.start), peak: mb(m.peak), end: mb(m.end) });
const round1 = (x: number): number => Math.round(x * 10) / 10;
let failed = false;
for (const t of targets) {
  // The slowest input timed once more on its own: a time far above its first is a GC pause or a
  // busy machine, not the input.
  const rerun = (value: unknown): number => {
    const started = performance.now();
    try {
      t.check(value);
    } catch {
      // It passed the property once; a failure now would be flakiness, which the time shows anyway.
    }
    return performance.now() - started;
  };
  const r = await runCampaign(t, {
    seed,
    budgetMs,
    onProgress: (p) => {
      const s = p.elapsedMs / 1000;
      process.stderr.write(`fuzz ${t.name}: ${p.inputs} inputs, ${s.toFixed(0)} s of ${(budgetMs / 1000).toFixed(0)} s, ${Math.round(p.inputs / s)}/s, rss ${mb(p.memory.rss)} MB, heap ${mb(p.memory.heapUsed)} MB\n`);
    },
  });
  const seconds = r.elapsedMs / 1000;
  const line = {
    target: t.name,
    inputs: r.inputs,
    seconds: Math.round(seconds),
    inputsPerSecond: Math.round(r.inputs / seconds),
    failures: r.failure === undefined ? 0 : 1,
    rssMb: memoryMb(r.rss),
    heapMb: memoryMb(r.heapUsed),
    slowestInput: r.slowest === undefined ? null : { input: r.slowest.input, ms: round1(r.slowest.ms), rerunMs: round1(rerun(r.slowest.value)), savedBytes: t.save(r.slowest.value).length },
    seed,
  };
  if (r.failure !== undefined) {
    failed = true;
    const f = r.failure;
    const dir = `fuzz/regressions/${t.name}`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/seed-${seed}-input-${f.input}.bin`;
    writeFileSync(file, t.save(f.counterexample));
    process.stderr.write(
      `fuzz ${t.name}: FAILED at input ${f.input} (campaign seed ${seed}; chunk ${f.chunk}: fc.check(chunkProperty(target, ${f.offset}), { seed: ${f.seed}, path: '${f.path}' })); saved ${file}\n${String(f.error)}\n`,
    );
    process.stdout.write(`${JSON.stringify({ ...line, saved: file })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
process.exit(failed ? 1 : 0);
