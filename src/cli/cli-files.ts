import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { BUILTIN_SCENARIOS } from '../scenario/builtins.js';
import { decodeScenarioJson } from '../scenario/decode-json.js';
import { DurationSyntaxError, parseDuration } from '../time/duration.js';
import { writeFileWhole, writeStdout } from './output.js';
import { UsageError } from './usage-error.js';

/** A built-in scenario by name (in its file form), or the decoded JSON of a scenario file. */
export function loadRawScenario(arg: string): { readonly raw: unknown; readonly source: string } {
  if (Object.hasOwn(BUILTIN_SCENARIOS, arg)) return { raw: BUILTIN_SCENARIOS[arg], source: `builtin:${arg}` };
  if (!existsSync(arg)) throw new UsageError(`no built-in scenario or file named ${JSON.stringify(arg)} (try "kpsim list")`);
  return { raw: decodeScenarioJson(readInput(arg, SCENARIO_FILE_LIMIT, 'a scenario file').toString('utf8'), arg), source: arg };
}

/** The file a scenario argument names (undefined for a built-in), for checks that an output does not overwrite it. */
export function scenarioFileOf(arg: string): string | undefined {
  return Object.hasOwn(BUILTIN_SCENARIOS, arg) ? undefined : arg;
}

/**
 * A scenario's name as the start of a file name in the current directory: letters, digits, ".",
 * "_" and "-" kept, anything else (a "/", "..", spaces, control characters) made "_", and no
 * leading dot, so a name can never point outside the directory or hide the file.
 */
export function fileStem(name: string): string {
  const stem = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return stem === '' ? 'scenario' : stem;
}

/** The largest scenario file kpsim reads (a scenario is a few kilobytes; a long `times` list, a few megabytes). */
export const SCENARIO_FILE_LIMIT = 16 * 1024 * 1024;
/** The largest capture kpsim reads: its analysis holds every packet in memory. */
export const CAPTURE_FILE_LIMIT = 256 * 1024 * 1024;

/**
 * The bytes of an input file, refused before reading when it is not a regular file (a device
 * such as /dev/zero or a FIFO would be read without end) or larger than `limit`.
 */
export function readInput(path: string, limit: number, what: string): Buffer {
  let fd: number | undefined;
  try {
    // Non-blocking, so that opening a FIFO with no writer returns at once (and is refused below).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${JSON.stringify(path)} is a directory, not ${what}`);
    if (!st.isFile()) throw new UsageError(`${JSON.stringify(path)} is not a regular file (a device, FIFO or socket); kpsim reads ${what} only from a file`);
    if (st.size > limit) throw new UsageError(`${JSON.stringify(path)} is ${formatBytes(st.size)}, more than kpsim reads as ${what} (${formatBytes(limit)})`);
    // Read at most one byte past the limit, in case the file grows while it is read.
    const buf = Buffer.allocUnsafe(Math.min(st.size, limit) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > limit) throw new UsageError(`${JSON.stringify(path)} grew past ${formatBytes(limit)} while it was read`);
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${JSON.stringify(path)}: ${errnoText(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB` : `${n} bytes`;
}

/** Writes `data` to `path` whole, or not at all (see ./output.ts). */
export function writeOut(path: string, data: string | Uint8Array): void {
  writeFileWhole(path, data);
}

/** Writes to stdout, or to `out` with a note on stderr. */
export function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    writeStdout(text);
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
