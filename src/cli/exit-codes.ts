/**
 * Exit codes of `kpsim`: 0 for a run that completed (whatever its outcome), 2 for a usage error
 * or input that cannot be used, 70 (`EX_SOFTWARE` in sysexits.h) for a bug in kpsim itself.
 */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export type ExitCode = typeof EXIT_OK | typeof EXIT_USAGE | typeof EXIT_INTERNAL;
