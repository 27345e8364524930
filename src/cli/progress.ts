import { performance } from 'node:perf_hooks';
import { formatDuration } from '../time/duration.js';
import { SECOND } from '../time/units.js';

/**
 * A one-line progress bar with an ETA for long sweeps, drawn on a terminal and silent otherwise
 * (a pipe, a file, CI logs). The wall clock is read here, in src/cli, and nowhere below.
 */
export type Progress = {
  update(done: number, total: number): void;
  /** Clears the line. */
  end(): void;
};

type Stream = { readonly isTTY?: boolean; readonly columns?: number; write(s: string): boolean };

const REDRAW_MS = 100;

export function createProgress(stream: Stream, label: string): Progress {
  if (stream.isTTY !== true) return { update: () => undefined, end: () => undefined };
  const start = performance.now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < REDRAW_MS && done < total) return;
      last = now;
      // A pseudo-terminal may report 0 columns: assume 80 then.
      const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
      stream.write(`\r\u001b[K${progressLine(label, done, total, now - start, columns)}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}

/** The bar itself, e.g. `sweep [#######.......]  52/144  36%  ETA 1m12s`. Exported for tests. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number, columns: number): string {
  const frac = total === 0 ? 1 : done / total;
  const eta = done === 0 ? '?' : formatDuration(Math.round(((elapsedMs / done) * (total - done)) / 1000) * SECOND);
  const tail = ` ${done}/${total} ${Math.floor(frac * 100)}% ETA ${eta}`;
  const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 4));
  const filled = Math.round(frac * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
}
