import { closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * Where the CLI's output goes. Every write is checked: a file is written under a temporary name
 * beside it and renamed only when whole (a full disk, an error or an interrupt leaves the old file,
 * or none, never a truncated one), and standard output is written with write(2) so a failure
 * (`> /dev/full`) is an error rather than a silent exit 0.
 */
export type Output = {
  /** What the output is called in messages: the file's path, or "standard output". */
  readonly name: string;
  write(chunk: string | Uint8Array): void;
  /** Writes what is buffered and, for a file, renames it into place. */
  commit(): void;
  /** Gives up: a file's temporary copy is removed. Safe to call more than once, and after commit. */
  abort(): void;
};

/** Output the CLI could not write (exit 74, EX_IOERR). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Standard output was closed by its reader (`kpsim run x | head`): nothing more to say. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

const CHUNK = 64 * 1024;
/** Outputs opened and neither committed nor aborted, for abortAllOutputs. */
const open = new Set<Output>();

/** Standard output (`path` undefined) or a file. */
export function openOutput(path: string | undefined): Output {
  return path === undefined ? stdout : openFile(path);
}

/** Removes the temporary copies of every output not yet committed (an error or an interrupt). */
export function abortAllOutputs(): void {
  for (const o of [...open]) o.abort();
}

/** Writes `data` to `path` whole, or not at all. */
export function writeFileWhole(path: string, data: string | Uint8Array): void {
  const o = openFile(path);
  try {
    o.write(data);
    o.commit();
  } finally {
    o.abort();
  }
}

/** Writes to standard output, buffered; flushStdout writes the rest. */
export function writeStdout(chunk: string | Uint8Array): void {
  stdout.write(chunk);
}

export function flushStdout(): void {
  stdout.commit();
}

/**
 * Refuses two outputs that name the same file (`--pcap x --out x` would overwrite one with the
 * other), or an output that names an input.
 */
export function checkDistinctPaths(outputs: readonly (readonly [flag: string, path: string | undefined])[], inputs: readonly (readonly [what: string, path: string | undefined])[] = []): void {
  const seen = new Map<string, string>();
  for (const [what, path] of inputs) if (path !== undefined) seen.set(resolve(path), what);
  for (const [flag, path] of outputs) {
    if (path === undefined) continue;
    const key = resolve(path);
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`${flag} ${JSON.stringify(path)} names the same file as ${other}; give each output its own file`);
    seen.set(key, flag);
  }
}

function openFile(path: string): Output {
  const existing = statOrUndefined(path);
  // A device or a pipe (`--out /dev/stdout`) is written in place; a file (through any symlink) is
  // replaced by renaming a whole copy over it.
  const inPlace = existing !== undefined && !existing.isFile() && !existing.isDirectory();
  const target = existing?.isFile() === true ? realpathSync(path) : path;
  const temp = inPlace ? path : join(dirname(target), `.${basename(target)}.kpsim-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, inPlace ? 'w' : 'wx');
  } catch (e) {
    throw new OutputError(`cannot write ${JSON.stringify(path)}: ${errnoText(e)}`);
  }
  const writer = createWriter((b) => writeAll(fd as number, b));
  let done = false;
  const fail = (e: unknown): never => {
    output.abort();
    throw new OutputError(`cannot write ${JSON.stringify(path)}: ${errnoText(e)}; nothing was written there`);
  };
  const output: Output = {
    name: path,
    write(chunk) {
      try {
        writer.write(chunk);
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      if (done) return;
      try {
        writer.flush();
        if (!inPlace) fsyncSync(fd as number);
        closeSync(fd as number);
        fd = undefined;
        if (!inPlace) renameSync(temp, target);
      } catch (e) {
        fail(e);
      }
      done = true;
      open.delete(output);
    },
    abort() {
      if (done) return;
      done = true;
      open.delete(output);
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch {
          // Closing a file being thrown away: nothing to report.
        }
        fd = undefined;
      }
      if (!inPlace) rmSync(temp, { force: true });
    },
  };
  open.add(output);
  return output;
}

const stdoutWriter = createWriter((b) => {
  try {
    writeAll(1, b);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosedError('standard output closed');
    throw new OutputError(`cannot write standard output: ${errnoText(e)}`);
  }
});

const stdout: Output = {
  name: 'standard output',
  write: (chunk) => stdoutWriter.write(chunk),
  commit: () => stdoutWriter.flush(),
  abort: () => undefined,
};

/** Chunks gathered into blocks of CHUNK bytes before each write. */
function createWriter(sink: (bytes: Uint8Array) => void): { write(chunk: string | Uint8Array): void; flush(): void } {
  let parts: Uint8Array[] = [];
  let size = 0;
  const flush = (): void => {
    if (size === 0) return;
    const block = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    sink(block);
  };
  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (bytes.length === 0) return;
      parts.push(bytes);
      size += bytes.length;
      if (size >= CHUNK) flush();
    },
    flush,
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** write(2) until every byte is taken; a non-blocking descriptor that is full is waited on. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function errnoText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
