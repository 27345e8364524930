import { getHeapStatistics } from 'node:v8';
import { InvalidArgumentError } from 'commander';
import type { Scenario } from '../scenario/schema.js';
import { estimateWork } from '../sim/work-estimate.js';
import type { Run } from '../sim/world.js';
import { formatInstant } from '../report/clock-format.js';
import { EXIT_BUDGET, type ExitCode } from './exit-codes.js';
import type { Interrupts } from './interrupts.js';
import { UsageError } from './usage-error.js';

/**
 * What one `kpsim` command may spend: events of virtual time, and memory (the process's resident
 * set). A run that would cross the event budget is refused before it starts when its workload
 * alone shows it; a run that crosses either budget stops where it is, with its output so far
 * ending in a line that says which budget stopped it, and exits 3.
 */
export type Budgets = { readonly maxEvents: number; readonly maxMemoryBytes: number };

export const DEFAULT_MAX_EVENTS = 50_000_000;
const MIB = 1024 * 1024;
/** Below the 1 GB a command should never cross, and below V8's own heap limit on small machines. */
export const DEFAULT_MAX_MEMORY = Math.min(768 * MIB, Math.floor(getHeapStatistics().heap_size_limit * 0.75));
/** Events between two looks at the budgets and the signals (a few tens of milliseconds). */
const SLICE = 1 << 16;

export function budgetsFromFlags(flags: { readonly maxEvents?: number; readonly maxMemory?: number }): Budgets {
  return { maxEvents: flags.maxEvents ?? DEFAULT_MAX_EVENTS, maxMemoryBytes: flags.maxMemory ?? DEFAULT_MAX_MEMORY };
}

/** `--max-events N`: a whole number of at least 1000. */
export function parseMaxEvents(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1000 || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError('expected a whole number of events, at least 1000.');
  return Number(text);
}

/** `--max-memory 512MiB` (also MB, GiB, GB, as binary units). */
export function parseMaxMemory(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(MiB|MB|GiB|GB)$/i.exec(text);
  if (m === null) throw new InvalidArgumentError('expected a size such as 512MiB or 2GiB.');
  const bytes = Number(m[1]) * (/^g/i.test(m[2] as string) ? 1024 * MIB : MIB);
  if (bytes < 64 * MIB) throw new InvalidArgumentError('expected at least 64MiB (kpsim itself takes about 100 MiB).');
  return Math.floor(bytes);
}

/** Refuses a run whose workload alone takes more events than the budget (while the connection lives). */
export function checkWorkEstimate(sc: Scenario, source: string, budgets: Budgets): void {
  const e = estimateWork(sc);
  if (e.events <= budgets.maxEvents || e.largest === undefined) return;
  throw new UsageError(
    `${source}: while the connection is up this run takes at least ${e.events.toLocaleString('en-US')} events (workload.${e.largest.index}: ${e.largest.what} within the horizon), more than the event budget of ${budgets.maxEvents.toLocaleString('en-US')}; shorten the horizon or the workload, or give --max-events to run it anyway`,
  );
}

/** Why a run ended before its end. */
export type Stop = { readonly kind: 'budget'; readonly text: string } | { readonly kind: 'signal'; readonly signal: NodeJS.Signals };

/**
 * Advances `run` in slices until it ends, a budget is crossed, or a signal comes (the event loop
 * turns between slices, so the signal handlers run).
 */
export async function advanceRun(run: Run, budgets: Budgets, interrupts: Interrupts): Promise<Stop | undefined> {
  for (;;) {
    const slice = Math.min(SLICE, budgets.maxEvents - run.events());
    if (slice <= 0) return { kind: 'budget', text: `the event budget (${budgets.maxEvents.toLocaleString('en-US')} events, --max-events) ran out at ${formatInstant(run.now())} of virtual time` };
    if (!run.advance(slice)) return undefined;
    const rss = process.memoryUsage.rss();
    if (rss > budgets.maxMemoryBytes) return { kind: 'budget', text: `the memory budget (${Math.round(budgets.maxMemoryBytes / MIB)} MiB, --max-memory) was reached at ${formatInstant(run.now())} of virtual time` };
    await new Promise<void>((resolve) => setImmediate(resolve));
    const signal = interrupts.received();
    if (signal !== undefined) return { kind: 'signal', signal };
  }
}

/** A command that stopped at a budget after writing its output: exit 3, with the reason on stderr. */
export class BudgetStop extends Error {
  override readonly name = 'BudgetStop';
  readonly exitCode: ExitCode = EXIT_BUDGET;
}
