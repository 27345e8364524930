import { UsageError } from './usage-error.js';

/** Flags that may be given more than once (each adds to a list). */
const REPEATABLE = new Set(['--set']);

/**
 * Refuses a flag given twice (`--seed 1 --seed 2`): the command line parser would keep the last
 * one silently, and a user who wrote both meant something by each. Only `--set` repeats.
 */
export function checkRepeatedFlags(argv: readonly string[]): void {
  const seen = new Set<string>();
  for (const arg of argv) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.split('=', 1)[0] as string;
    // --clamp and --no-clamp are one flag.
    const flag = name.startsWith('--no-') ? `--${name.slice(5)}` : name;
    if (REPEATABLE.has(flag)) continue;
    if (seen.has(flag)) throw new UsageError(`${name} is given more than once; give it once (only --set repeats)`);
    seen.add(flag);
  }
}
