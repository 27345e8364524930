import { InvalidArgumentError } from 'commander';

/** The options of `kpsim run`, as commander hands them over. */
export type RunFlags = {
  readonly seed?: number;
  readonly set: readonly string[];
  readonly json?: true;
  readonly trace?: TraceFormat;
  readonly out?: string;
  readonly clamp: boolean;
  readonly color?: true;
  readonly pcap?: string;
  readonly pcapAt: 'server' | 'client';
  readonly traceBytes?: true;
  readonly maxEvents?: number;
  readonly maxMemory?: number;
};

export const TRACE_FORMATS = ['text', 'jsonl'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** Largest seed a scenario accepts (a 32-bit unsigned integer, as in the scenario schema). */
export const MAX_SEED = 0xffff_ffff;

/** `--seed N`: a non-negative integer written in decimal digits. */
export function parseSeedFlag(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_SEED) {
    throw new InvalidArgumentError(`expected a non-negative integer up to ${MAX_SEED}.`);
  }
  return Number(text);
}

/** `--set path=value`, repeatable: collects the values in order. */
export function collectSet(value: string, previous: readonly string[]): readonly string[] {
  return [...previous, value];
}
