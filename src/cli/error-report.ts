import { CommanderError } from 'commander';
import { BreakError } from '../analysis/break/break-error.js';
import { HuntError } from '../analysis/hunt.js';
import { VersionError } from '../keepalive/versions.js';
import { ScenarioError } from '../scenario/errors.js';
import { EventBudgetError } from '../sim/world.js';
import { EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { BudgetStop } from './budgets.js';
import { InterruptedError } from './interrupts.js';
import { OutputClosedError, OutputError } from './output.js';
import { UsageError } from './usage-error.js';

/** What the CLI does with an error: the exit code, and the one line for stderr (none for help). */
export type ErrorReport = { readonly exitCode: ExitCode; readonly line: string | undefined };

/**
 * Maps anything thrown while handling a command to an exit code and a single stderr line starting
 * with `kpsim: `. Never a stack trace: unexpected errors become `kpsim: internal error: ...`.
 */
export function reportError(e: unknown): ErrorReport {
  if (e instanceof CommanderError) return commanderReport(e);
  // The reader of standard output went away (`kpsim run x | head`): not worth a message.
  if (e instanceof OutputClosedError) return { exitCode: EXIT_OK, line: undefined };
  if (e instanceof OutputError) return { exitCode: EXIT_IO, line: `kpsim: ${oneLine(e.message)}` };
  if (e instanceof BudgetStop || e instanceof InterruptedError) return { exitCode: e.exitCode, line: `kpsim: ${oneLine(e.message)}` };
  if (e instanceof ScenarioError || e instanceof UsageError || e instanceof VersionError || e instanceof EventBudgetError || e instanceof HuntError || e instanceof BreakError) {
    return { exitCode: EXIT_USAGE, line: `kpsim: ${oneLine(e.message)}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { exitCode: EXIT_INTERNAL, line: `kpsim: internal error: ${oneLine(message)}` };
}

function commanderReport(e: CommanderError): ErrorReport {
  switch (e.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
      return { exitCode: EXIT_OK, line: undefined };
    case 'commander.help':
      // `kpsim help` exits 0; a bare `kpsim` (no command) is a usage error.
      return e.exitCode === 0
        ? { exitCode: EXIT_OK, line: undefined }
        : { exitCode: EXIT_USAGE, line: 'kpsim: missing command: use list, run, hunt, break or schema (try "kpsim --help")' };
    default:
      return { exitCode: EXIT_USAGE, line: `kpsim: ${oneLine(e.message.replace(/^error:\s*/, ''))}` };
  }
}

/** Joins a multi-line message (commander's "(Did you mean ...?)" hint) into one line. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}
