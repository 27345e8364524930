import type { StateValue, TraceRecord } from '../sim/trace.js';
import type { RunResult } from '../sim/world.js';
import { createPaint, type Paint } from './ansi.js';
import { formatDelta, formatInstant } from './clock-format.js';
import { readNotesBySeq } from './read-provenance.js';
import { renderRunHeader } from './run-header.js';
import { formatChanges, formatState } from './state-values.js';
import { describeAction, describeStepEvent } from './step-text.js';
import { stepWhy } from './step-why.js';
import { renderVerdict } from './verdict.js';

export type TextTimelineOptions = {
  /** Colour the output with ANSI escapes (for a terminal). @default false */
  readonly color?: boolean;
};

/**
 * A run as a timeline for people: a header with the effective settings, one line per trace
 * record (virtual time, time since the previous line, actor, what happened, what it did, which
 * state variables changed, under upstream's names), a short "why" under the lines that need one,
 * and a verdict in plain words. Pure and deterministic: the same result gives the same string.
 */
export function renderTextTimeline(result: RunResult, options: TextTimelineOptions = {}): string {
  const paint = createPaint(options.color ?? false);
  const rows = timelineRows(result.trace);
  const lines: string[] = [...renderRunHeader(result), ''];
  lines.push(...layoutRows(rows, paint));
  lines.push('', paint.bold('verdict'), ...renderVerdict(result));
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** The cells of one timeline line, before padding. */
type Row = {
  readonly at: string;
  readonly delta: string;
  readonly actor: TraceRecord['actor'];
  readonly what: string;
  readonly actions: string;
  readonly state: string;
  readonly why: string | undefined;
  /** For keepalive timer fires: the loop's variables after the step, changed or not. */
  readonly loop: string | undefined;
  readonly closes: boolean;
};

/** The keepalive loop's variables, shown in full on every keepalive timer line. */
const LOOP_VARS = ['outstandingPing', 'kpTimeoutLeft', 'timeoutLeft', 'lastRead', 'prevNano', 'activity', 'pingSent', 'kpDormant'] as const;

function timelineRows(trace: readonly TraceRecord[]): Row[] {
  const notes = readNotesBySeq(trace);
  // Each actor's watched variables, rebuilt from the first snapshot and every change since.
  const current: Record<string, Record<string, StateValue>> = { server: {}, client: {} };
  let prev = 0;
  return trace.map((r) => {
    const vars = current[r.actor] ?? {};
    if (r.state !== undefined) Object.assign(vars, r.state);
    for (const [name, [, after]] of Object.entries(r.changes)) vars[name] = after;
    const isLoopStep = r.event.type === 'timerFired' && r.event.timer === 'kpTimer';
    const row: Row = {
      at: formatInstant(r.at),
      delta: formatDelta(r.at - prev),
      actor: r.actor,
      what: describeStepEvent(r, notes.get(r.seq)),
      actions: r.actions.map(describeAction).join('; '),
      state: [formatChanges(r.changes), r.state === undefined ? '' : `state: ${formatState(r.state)}`].filter((s) => s !== '').join('  '),
      why: stepWhy(r),
      loop: isLoopStep ? formatState(Object.fromEntries(LOOP_VARS.filter((v) => v in vars).map((v) => [v, vars[v] ?? null]))) : undefined,
      closes: r.actions.some((a) => a.type === 'close'),
    };
    prev = r.at;
    return row;
  });
}

/** Columns wider than this do not widen the column for everyone; the long cell just overflows. */
const MAX_WHAT = 44;
const MAX_ACTIONS = 52;
const GAP = '  ';

function layoutRows(rows: readonly Row[], paint: Paint): string[] {
  const atW = Math.max('time'.length, ...rows.map((r) => r.at.length));
  const deltaW = Math.max('since'.length, ...rows.map((r) => r.delta.length));
  const actorW = 'server'.length;
  const whatW = Math.min(MAX_WHAT, Math.max('what happened'.length, ...rows.map((r) => r.what.length)));
  const actionsW = Math.min(MAX_ACTIONS, Math.max('actions'.length, ...rows.map((r) => r.actions.length)));
  const head = ['time'.padStart(atW), 'since'.padStart(deltaW), 'actor'.padEnd(actorW), 'what happened'.padEnd(whatW), 'actions'.padEnd(actionsW), 'state changes'];
  const out = [paint.dim(head.join(GAP))];
  const whyIndent = ' '.repeat(atW + deltaW + actorW + 3 * GAP.length);
  for (const r of rows) {
    const actor = r.actor === 'server' ? paint.cyan(r.actor.padEnd(actorW)) : paint.magenta(r.actor.padEnd(actorW));
    const actions = r.actions.padEnd(actionsW);
    const cells = [
      paint.dim(r.at.padStart(atW)),
      paint.dim(r.delta.padStart(deltaW)),
      actor,
      r.what.padEnd(whatW),
      r.closes ? paint.red(actions) : actions,
      r.state,
    ];
    out.push(cells.join(GAP));
    if (r.why !== undefined) out.push(`${whyIndent}${paint.yellow(`why: ${r.why}`)}`);
    if (r.loop !== undefined && r.loop !== '') out.push(`${whyIndent}${paint.dim(`now: ${r.loop}`)}`);
  }
  return out;
}
