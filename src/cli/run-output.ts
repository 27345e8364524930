import type { TraceFormat } from './run-flags.js';

/** What `kpsim run` prints: the text timeline (default), the `--json` summary, or a trace format. */
export type RunOutputFormat = 'summary-json' | TraceFormat;

export function runOutputFormat(flags: { readonly json?: true; readonly trace?: TraceFormat }): RunOutputFormat {
  if (flags.json === true) return 'summary-json';
  return flags.trace ?? 'text';
}
