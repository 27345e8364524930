/**
 * Fuzz campaigns. `npm run fuzz -- [--target NAME|all] [--minutes N] [--seed S]`: runs each target
 * in fuzz/targets/ (all by default, the time budget split evenly) and prints one JSON line per
 * target with the number of inputs it ran. A failing input is saved under
 * fuzz/regressions/TARGET/ (replayed by test/fuzz/regressions.test.ts from then on) and the run
 * exits 1 with the seed and path that reproduce it.
 * Wall-clock reads are fine here: this is a tool around the simulator, not the simulator.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
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
let failed = false;
for (const t of targets) {
  const started = Date.now();
  let runs = 0;
  let lastReport = started;
  // The longest gap between two inputs (generation plus one run): evidence of no hang, and the
  // slowest input's cost. A true hang would stop the campaign at that input, past its budget.
  let lastRun = started;
  let slowestMs = 0;
  const property = t.property(() => {
    runs++;
    const now = Date.now();
    slowestMs = Math.max(slowestMs, now - lastRun);
    lastRun = now;
    if (now - lastReport > 10_000) {
      lastReport = now;
      process.stderr.write(`fuzz ${t.name}: ${runs} inputs, ${((now - started) / 1000).toFixed(0)} s of ${(budgetMs / 1000).toFixed(0)} s\n`);
    }
  });
  const details = fc.check(property, { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (details.failed && details.counterexample !== null) {
    failed = true;
    const dir = `fuzz/regressions/${t.name}`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/seed-${seed}.bin`;
    writeFileSync(file, t.save(details.counterexample[0]));
    process.stderr.write(`fuzz ${t.name}: FAILED after ${details.numRuns} inputs (seed ${seed}, path ${details.counterexamplePath}); saved ${file}\n${String(details.errorInstance)}\n`);
    process.stdout.write(`${JSON.stringify({ target: t.name, inputs: details.numRuns, seconds, failures: 1, seed, saved: file })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ target: t.name, inputs: details.numRuns, seconds, failures: 0, slowestInputMs: slowestMs, seed })}\n`);
  }
}
process.exit(failed ? 1 : 0);
