/**
 * Exit codes of `kpsim`: 0 for a run that completed (whatever its outcome), 2 for a usage error
 * or input that cannot be used, 3 for a run stopped at one of its budgets (its output says so),
 * 70 (`EX_SOFTWARE` in sysexits.h) for a bug in kpsim itself, 74 (`EX_IOERR`) for output that
 * could not be written, and 128 + the signal for an interrupt (130 for SIGINT, 143 for SIGTERM).
 */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_BUDGET = 3;
export const EXIT_INTERNAL = 70;
export const EXIT_IO = 74;
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export type ExitCode = typeof EXIT_OK | typeof EXIT_USAGE | typeof EXIT_BUDGET | typeof EXIT_INTERNAL | typeof EXIT_IO | typeof EXIT_SIGINT | typeof EXIT_SIGTERM;
