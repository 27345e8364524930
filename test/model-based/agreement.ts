import type { Nanos } from '../../src/time/units.js';

/** What one side showed so far: frames written (timed text), how it ended, when it next needs the clock. */
export type Observation = {
  readonly frames: readonly string[];
  readonly ended: { readonly at: Nanos; readonly cause: string } | undefined;
  /** `undefined`: no timer armed. */
  readonly nextDeadline: Nanos | undefined;
};

/**
 * Throws when kpsim and the literal model disagree. The message carries the commands as they ran
 * (absolute times included) and both frame logs around the first difference, so a shrunk
 * counterexample reads as a script.
 */
export function assertAgree(kpsim: Observation, literal: Observation, script: readonly string[], opts: { compareDeadline: boolean }): void {
  const problems: string[] = [];
  const n = Math.max(kpsim.frames.length, literal.frames.length);
  let firstDiff = -1;
  for (let i = 0; i < n; i++) {
    if (kpsim.frames[i] !== literal.frames[i]) {
      firstDiff = i;
      break;
    }
  }
  if (firstDiff >= 0) problems.push(`frames differ from #${firstDiff}`);
  if (!sameEnd(kpsim.ended, literal.ended)) problems.push(`transport end: kpsim ${endText(kpsim.ended)}, literal ${endText(literal.ended)}`);
  if (opts.compareDeadline && kpsim.nextDeadline !== literal.nextDeadline) {
    problems.push(`next timer: kpsim ${kpsim.nextDeadline ?? 'none'}, literal ${literal.nextDeadline ?? 'none'}`);
  }
  if (problems.length === 0) return;
  const from = Math.max(0, (firstDiff >= 0 ? firstDiff : n) - 6);
  const rows = (xs: readonly string[]): string => xs.slice(from, from + 12).map((x, i) => `    #${from + i} ${x}`).join('\n') || '    (none)';
  throw new Error(
    [
      `kpsim and the literal model disagree: ${problems.join('; ')}`,
      'script as run:',
      ...script.map((s) => `  ${s}`),
      'kpsim frames:',
      rows(kpsim.frames),
      'literal frames:',
      rows(literal.frames),
    ].join('\n'),
  );
}

function sameEnd(a: Observation['ended'], b: Observation['ended']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.at === b.at && a.cause === b.cause;
}

function endText(e: Observation['ended']): string {
  return e === undefined ? 'open' : `${e.cause} @${e.at}`;
}

/** A side whose timers keep firing at one instant (a Reset(0) loop): the clock cannot move on. */
export function stuck(side: string, at: Nanos | undefined, script: readonly string[]): Error {
  return new Error([`${side}: timers keep firing at t=${at ?? '?'} and the clock cannot move on`, 'script as run:', ...script.map((s) => `  ${s}`)].join('\n'));
}
