/**
 * Fuzz campaign over random scenarios: every run must satisfy checkInvariants, and the same seed
 * must give the same trace. `npm run fuzz -- --minutes N [--seed S]`. A failure prints the seed and
 * path that replay it and saves the shrunk scenario under fuzz/crashes/.
 * Wall-clock reads are fine here: this is a tool around the simulator, not the simulator.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { scenarioProperty } from './scenario-property.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) {
    process.stderr.write(`fuzz: ${name} expects a positive number\n`);
    process.exit(2);
  }
  return v;
};
const minutes = flag('--minutes', 1);
const seed = flag('--seed', Date.now() % 0x7fffffff);
const limitMs = minutes * 60_000;
const started = Date.now();
let runs = 0;
let lastReport = started;

const property = scenarioProperty(() => {
  runs++;
  const now = Date.now();
  if (now - lastReport > 10_000) {
    lastReport = now;
    process.stderr.write(`fuzz: ${runs} scenarios, ${((now - started) / 1000).toFixed(0)} s of ${minutes * 60} s\n`);
  }
});
const details = fc.check(property, { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: limitMs, markInterruptAsFailure: false });
if (details.failed && details.counterexample !== null) {
  mkdirSync('fuzz/crashes', { recursive: true });
  const file = `fuzz/crashes/scenario-${seed}.json`;
  writeFileSync(file, `${JSON.stringify(details.counterexample[0], null, 2)}\n`);
  process.stderr.write(`fuzz: FAILED after ${details.numRuns} scenarios (seed ${seed}, path ${details.counterexamplePath}); saved ${file}\n${String(details.errorInstance)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ target: 'simulator-invariants', scenarios: details.numRuns, seconds: Math.round((Date.now() - started) / 1000), failures: 0, seed })}\n`);
