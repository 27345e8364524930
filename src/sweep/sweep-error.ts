/**
 * Bad input to a sweep or to `advise` (a grid flag that does not parse, a grid too large, a limit
 * written wrongly). The message is one line naming the flag and the bad part, without `kpsim: `.
 */
export class SweepInputError extends Error {
  override readonly name = 'SweepInputError';
  constructor(
    /** The flag at fault, e.g. `--time`. */
    readonly flag: string,
    message: string,
  ) {
    super(message);
  }
}
