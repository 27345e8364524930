import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { BUILTIN_SCENARIOS } from '../scenario/builtins.js';
import { decodeScenarioJson } from '../scenario/decode-json.js';
import { DurationSyntaxError, parseDuration } from '../time/duration.js';
import { UsageError } from './usage-error.js';

/** A built-in scenario by name (in its file form), or the decoded JSON of a scenario file. */
export function loadRawScenario(arg: string): { readonly raw: unknown; readonly source: string } {
  if (Object.hasOwn(BUILTIN_SCENARIOS, arg)) return { raw: BUILTIN_SCENARIOS[arg], source: `builtin:${arg}` };
  if (!existsSync(arg)) throw new UsageError(`no built-in scenario or file named ${JSON.stringify(arg)} (try "kpsim list")`);
  return { raw: decodeScenarioJson(readText(arg), arg), source: arg };
}

export function readText(path: string): string {
  return readBytes(path).toString('utf8');
}

export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(path)}: ${errnoText(e)}`);
  }
}

export function writeOut(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new UsageError(`cannot write ${JSON.stringify(path)}: ${errnoText(e)}`);
  }
}

/** Writes to stdout, or to `out` with a note on stderr. */
export function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeOut(out, text);
  process.stderr.write(`wrote ${out}\n`);
}

/** A Go duration greater than zero; DurationSyntaxError otherwise. */
export function parsePositiveDuration(text: string): number {
  const ns = parseDuration(text);
  if (ns <= 0) throw new DurationSyntaxError('must be greater than 0');
  return ns;
}

/** A flag holding a Go duration greater than zero. */
export function parseDurationFlag(text: string): number {
  try {
    return parsePositiveDuration(text);
  } catch (e) {
    throw new InvalidArgumentError(`expected a Go duration such as "4s": ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export function errnoText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
