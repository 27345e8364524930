/**
 * A problem with how kpsim was called (a missing file, a bad flag value) rather than with kpsim
 * itself. Its message is one line, without the `kpsim: ` prefix.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
