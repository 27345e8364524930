import type fc from 'fast-check';

/**
 * A fuzz target: a fast-check property over some input space, run by `npm run fuzz` for a time
 * budget and by a short fixed-seed run in `npm test`. Targets live one per file in fuzz/targets/
 * and are found by name; no registry to edit.
 *
 * The property must throw (or return false) only for a real defect: for malformed input the code
 * under test is expected to answer with its typed error, so a target catches that error type and
 * rethrows anything else (a crash). `onRun` counts inputs for progress lines.
 */
export type FuzzTarget<T = unknown> = {
  readonly name: string;
  /** What the target feeds and what it asserts, in one sentence. */
  readonly description: string;
  readonly property: (onRun: () => void) => fc.IProperty<[T]> | fc.IPropertyWithHooks<[T]>;
  /**
   * Turn a failing input into regression-file bytes (kept under fuzz/regressions/NAME/), and back.
   * Byte-level targets store the raw bytes; structured ones JSON.
   */
  readonly save: (input: T) => Uint8Array;
  readonly load: (bytes: Uint8Array) => T;
  /** Check one input outside fast-check (regression replay); throws on a defect. */
  readonly check: (input: T) => void;
};
