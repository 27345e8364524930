import { EXIT_SIGINT, EXIT_SIGTERM, type ExitCode } from './exit-codes.js';

/**
 * SIGINT and SIGTERM caught while a long command works, so that it can stop its workers, remove
 * what it had not finished writing and say what was lost. Handlers are installed only around work
 * that lets the event loop turn (a run advanced in slices, a sweep on workers): during purely
 * synchronous work the default action stands, so Ctrl-C still ends kpsim at once, and outputs
 * written whole-or-not-at-all (./output.ts) leave nothing half-written.
 */
export type Interrupts = {
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** Aborted when a signal comes. */
  readonly signal: AbortSignal;
  /** Puts the default handlers back. */
  release(): void;
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function watchInterrupts(): Interrupts {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const on = (s: NodeJS.Signals): void => {
    first ??= s;
    controller.abort();
  };
  for (const s of SIGNALS) process.on(s, on);
  return {
    received: () => first,
    signal: controller.signal,
    release: () => {
      for (const s of SIGNALS) process.off(s, on);
    },
  };
}

/** Runs `f` with signals watched. */
export async function withInterrupts<T>(f: (i: Interrupts) => Promise<T>): Promise<T> {
  const i = watchInterrupts();
  try {
    return await f(i);
  } finally {
    i.release();
  }
}

/** The command stopped on a signal; `line` says what was done and what was lost. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly exitCode: ExitCode;
  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
  ) {
    super(message);
    this.exitCode = signal === 'SIGTERM' ? EXIT_SIGTERM : EXIT_SIGINT;
  }
}
