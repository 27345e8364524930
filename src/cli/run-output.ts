import { renderJsonLines } from '../report/jsonl.js';
import { summaryJson } from '../report/summary-json.js';
import { renderTextTimeline } from '../report/text-timeline.js';
import type { RunResult } from '../sim/world.js';
import type { TraceFormat } from './run-flags.js';

/** What `kpsim run` prints: the text timeline (default), the `--json` summary, or a trace format. */
export type RunOutputFormat = 'summary-json' | TraceFormat;

export function runOutputFormat(flags: { readonly json?: true; readonly trace?: TraceFormat }): RunOutputFormat {
  if (flags.json === true) return 'summary-json';
  return flags.trace ?? 'text';
}

export function renderRunOutput(result: RunResult, format: RunOutputFormat, color: boolean): string {
  switch (format) {
    case 'summary-json':
      return `${JSON.stringify(summaryJson(result), null, 2)}\n`;
    case 'jsonl':
      return renderJsonLines(result);
    case 'text':
      return renderTextTimeline(result, { color });
    default:
      return assertNever(format);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled output format ${String(x)}`);
}
